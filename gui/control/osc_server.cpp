#include "gui/control/osc_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <lo/lo.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <vector>

#include "core/base/check.hpp"

namespace lw::control {

namespace {

constexpr int kMaxBundleDepth = 8;
constexpr std::size_t kMaxDatagram = 65536;
constexpr int kMaxArguments = 1024;  // a 1024-d start code; StyleGAN's W has 512

std::uint32_t big_endian_u32(const char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return ntohl(v);
}

// A value of type T at `at`: liblo's arguments lie at 4-byte offsets in its buffer, so a double
// or a 64-bit integer may not be aligned for a direct read.
template <typename T>
T unaligned(const void* at) {
  T v;
  std::memcpy(&v, at, sizeof v);
  return v;
}

// One argument as a number: false for types the stage does not take.
bool number_of(char type, const lo_arg* arg, double& out) {
  switch (type) {
    case LO_FLOAT: out = unaligned<float>(arg); return true;
    case LO_DOUBLE: out = unaligned<double>(arg); return true;
    case LO_INT32: out = unaligned<std::int32_t>(arg); return true;
    case LO_INT64: out = static_cast<double>(unaligned<std::int64_t>(arg)); return true;
    case LO_TRUE: out = 1.0; return true;
    case LO_FALSE: out = 0.0; return true;
    case LO_INFINITUM: out = INFINITY; return true;  // refused later, as NaN is, and counted
    default: return false;
  }
}

}  // namespace

std::optional<OscMessage> decode_osc_message(const char* data, std::size_t size) {
  if (size < 4 || data[0] != '/') return std::nullopt;
  // liblo checks the address, the type tags and every argument's length and padding.
  int result = 0;
  std::vector<char> copy(data, data + size);  // liblo takes a non-const buffer
  lo_message m = lo_message_deserialise(copy.data(), copy.size(), &result);
  if (!m || result != 0) {
    if (m) lo_message_free(m);
    return std::nullopt;
  }
  OscMessage out;
  out.address.assign(data, strnlen(data, size));
  const char* types = lo_message_get_types(m);
  lo_arg** argv = lo_message_get_argv(m);
  const int argc = lo_message_get_argc(m);
  if (argc > kMaxArguments) {  // more than any code has: refused whole, and a queued message stays small
    out.unsupported = true;
    lo_message_free(m);
    return out;
  }
  for (int i = 0; i < argc; ++i) {
    double v = 0.0;
    if (number_of(types[i], argv[i], v)) {
      out.numbers.push_back(v);
    } else if ((types[i] == LO_STRING || types[i] == LO_SYMBOL) && !out.has_text) {
      out.text = reinterpret_cast<const char*>(argv[i]);  // a string: no alignment to honour
      out.has_text = true;
    } else if (types[i] != LO_NIL) {
      out.unsupported = true;
    }
  }
  lo_message_free(m);
  return out;
}

OscServer::OscServer(const std::string& bind_address, int port)
    : bind_address_(bind_address), queue_(std::make_unique<Queue>()) {
  LW_EXPECT(port >= 0 && port <= 65535, "--osc-port must be between 0 and 65535, got " << port);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  LW_EXPECT(inet_pton(AF_INET, bind_address.c_str(), &addr.sin_addr) == 1,
            "--osc-bind expects an IPv4 address such as 127.0.0.1 or 0.0.0.0, got \"" << bind_address << "\"");
  socket_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  LW_EXPECT(socket_ >= 0, "no UDP socket for OSC: " << std::strerror(errno));
  if (::bind(socket_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    const int err = errno;
    ::close(socket_);
    LW_FAIL("cannot listen for OSC on " << bind_address << ":" << port << ": " << std::strerror(err));
  }
  socklen_t len = sizeof addr;
  ::getsockname(socket_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  LW_CHECK(::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) == 0, "no pipe for the OSC thread: " << std::strerror(errno));
  thread_ = std::thread([this] { run(); });
}

OscServer::~OscServer() {
  if (thread_.joinable()) {
    const char stop = 1;
    [[maybe_unused]] const auto n = ::write(wake_[1], &stop, 1);
    thread_.join();
  }
  for (const int fd : {socket_, wake_[0], wake_[1]})
    if (fd >= 0) ::close(fd);
}

bool OscServer::loopback_only() const { return bind_address_.rfind("127.", 0) == 0; }

OscCounters OscServer::counters() const {
  return {packets_.load(), messages_.load(), malformed_.load(), queue_full_.load()};
}

void OscServer::run() {
  std::vector<char> buffer(kMaxDatagram);
  pollfd fds[2] = {{socket_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
  for (;;) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents) return;
    if (!(fds[0].revents & POLLIN)) continue;
    const ssize_t n = ::recv(socket_, buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (n <= 0) continue;
    packets_.fetch_add(1, std::memory_order_relaxed);
    decode(buffer.data(), static_cast<std::size_t>(n));
  }
}

// A datagram or bundle element: "#bundle\0", an 8-byte time tag, then (size, element) pairs,
// each element a message or a bundle; anything else a single message.
std::size_t decode_osc_datagram(const char* data, std::size_t size, const std::function<void(OscMessage&&)>& on_message,
                                int depth) {
  static constexpr char kBundle[8] = {'#', 'b', 'u', 'n', 'd', 'l', 'e', '\0'};
  if (size < 16 || std::memcmp(data, kBundle, 8) != 0) {
    auto message = decode_osc_message(data, size);
    if (!message) return 1;
    on_message(std::move(*message));
    return 0;
  }
  if (depth >= kMaxBundleDepth) return 1;
  std::size_t malformed = 0;
  for (std::size_t at = 16; at < size;) {
    const std::uint32_t element = size - at >= 4 ? big_endian_u32(data + at) : 0;
    at += 4;
    if (element == 0 || at > size || element > size - at || element % 4 != 0)
      return malformed + 1;  // the rest of the bundle cannot be framed
    malformed += decode_osc_datagram(data + at, element, on_message, depth + 1);
    at += element;
  }
  return malformed;
}

void OscServer::decode(const char* data, std::size_t size) {
  const auto malformed = decode_osc_datagram(data, size, [this](OscMessage&& message) {
    messages_.fetch_add(1, std::memory_order_relaxed);
    if (!queue_->push(std::move(message))) queue_full_.fetch_add(1, std::memory_order_relaxed);
  });
  malformed_.fetch_add(malformed, std::memory_order_relaxed);
}

}  // namespace lw::control
