// The OSC input over a real loopback socket, with liblo as the client: messages and bundles
// arrive decoded and in order, malformed datagrams are counted and dropped, a full queue drops
// and counts, a port in use is a clear error.
#include "gui/control/osc_server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <lo/lo.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "core/base/check.hpp"

namespace lw::control {
namespace {

// Waits (up to 5 s) until the server has decoded `messages` messages and dropped `malformed`.
bool wait_for(const OscServer& s, unsigned long long packets) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (s.counters().packets < packets) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

void send_raw(int port, const std::string& bytes) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  ::sendto(fd, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
  ::close(fd);
}

TEST(OscServer, MessagesAndBundlesArriveDecodedInOrder) {
  OscServer server("127.0.0.1", 0);
  ASSERT_GT(server.port(), 0);
  EXPECT_TRUE(server.loopback_only());
  lo_address to = lo_address_new("127.0.0.1", std::to_string(server.port()).c_str());
  lo_send(to, "/tile/1/stride", "f", 4.0f);
  lo_send(to, "/preset/load", "s", "dance");
  lo_bundle bundle = lo_bundle_new(LO_TT_IMMEDIATE);
  lo_message a = lo_message_new(), b = lo_message_new();
  lo_message_add_int32(a, 7);
  lo_message_add_true(b);
  lo_bundle_add_message(bundle, "/clock/bpm", a);
  lo_bundle_add_message(bundle, "/clock/play", b);
  lo_send_bundle(to, bundle);
  lo_bundle_free_recursive(bundle);
  lo_address_free(to);
  ASSERT_TRUE(wait_for(server, 3));
  auto m1 = server.queue().pop(), m2 = server.queue().pop(), m3 = server.queue().pop(), m4 = server.queue().pop();
  ASSERT_TRUE(m1 && m2 && m3 && m4);
  EXPECT_EQ(m1->address, "/tile/1/stride");
  EXPECT_EQ(m1->numbers, std::vector<double>{4.0});
  EXPECT_EQ(m2->text, "dance");
  EXPECT_EQ(m3->address, "/clock/bpm");
  EXPECT_EQ(m3->numbers, std::vector<double>{7.0});
  EXPECT_EQ(m4->numbers, std::vector<double>{1.0});
  EXPECT_EQ(server.counters().messages, 4u);
  EXPECT_EQ(server.counters().malformed, 0u);
}

TEST(OscServer, MalformedDatagramsAreCountedAndDropped) {
  OscServer server("127.0.0.1", 0);
  send_raw(server.port(), "not osc at all");
  send_raw(server.port(), std::string("/a\0\0,f\0\0\x01", 9));                 // a float cut short
  send_raw(server.port(), std::string("#bundle\0\0\0\0\0\0\0\0\x01\xff\xff\xff\xff", 20));  // an element longer than the datagram
  send_raw(server.port(), std::string("/ok\0,i\0\0\0\0\0\x05", 12));
  ASSERT_TRUE(wait_for(server, 4));
  EXPECT_EQ(server.counters().malformed, 3u);
  const auto ok = server.queue().pop();
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->address, "/ok");
  EXPECT_EQ(ok->numbers, std::vector<double>{5.0});
  EXPECT_FALSE(server.queue().pop());
}

TEST(OscServer, AFullQueueDropsAndCountsInsteadOfGrowing) {
  OscServer server("127.0.0.1", 0);
  lo_address to = lo_address_new("127.0.0.1", std::to_string(server.port()).c_str());
  // Nobody drains the queue. UDP may lose datagrams under a flood, so send in rounds until the
  // queue has overflowed; every message that arrived is then either queued or counted as dropped.
  for (int round = 0; round < 100 && server.counters().queue_full == 0; ++round) {
    for (int i = 0; i < 1000; ++i) lo_send(to, "/clock/speed", "f", 1.0f);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  lo_address_free(to);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the last datagrams through the thread
  const auto c = server.counters();
  EXPECT_GT(c.queue_full, 0u);
  EXPECT_EQ(c.messages - c.queue_full, OscServer::kQueueCapacity);
}

TEST(OscServer, APortInUseIsAClearError) {
  OscServer first("127.0.0.1", 0);
  try {
    OscServer second("127.0.0.1", first.port());
    FAIL() << "two servers bound one port";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot listen for OSC on 127.0.0.1:" + std::to_string(first.port())), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(OscServer("localhost-ish", 0), Error);
}

}  // namespace
}  // namespace lw::control
