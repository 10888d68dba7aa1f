// The pickle reader on hand-made streams: every protocol's values, memo and marks, the allow-list
// (an unknown global stays an inert name), and hostile input: every truncation, oversized
// lengths, deep stacks, a memo that was never stored, tensors outside their storage.
#include <gtest/gtest.h>

#include <string>

#include "core/base/check.hpp"
#include "core/base/pickle_reader.hpp"

using namespace lw::pickle;
using namespace std::string_literals;

namespace {

const std::string kProtocol0 =
    "\x28\x64\x70\x30\x0a\x56\x61\x0a\x70\x31\x0a\x28\x6c\x70\x32\x0a\x49\x31\x0a\x61\x46\x32\x2e\x35\x0a\x61\x56\x78"
    "\x0a\x70\x33\x0a\x61\x73\x56\x62\x0a\x70\x34\x0a\x28\x49\x30\x31\x0a\x4e\x74\x70\x35\x0a\x73\x2e";
const std::string kProtocol4(
    "\x80\x04\x95\x44\x00\x00\x00\x00\x00\x00\x00\x7d\x94\x28\x8c\x01\x61\x94\x5d\x94\x28\x4b\x01\x47\x40\x04\x00\x00"
    "\x00\x00\x00\x00\x8c\x01\x78\x94\x65\x8c\x01\x62\x94\x88\x4e\x86\x94\x8c\x01\x63\x94\x43\x02\x00\xff\x94\x8c\x01"
    "\x6e\x94\x4a\x90\xee\xfe\xff\x8c\x03\x62\x69\x67\x94\x8a\x06\x00\x00\x00\x00\x00\x01\x75\x2e",
    79);

const Value* read(Document& doc, const std::string& bytes, ReadOptions options = {}) {
  return read_stream(doc, bytes, options);
}

// Reading `bytes` fails with an lw::Error whose text holds `message`.
void expect_read_error(const std::string& bytes, const std::string& message, ReadOptions options = {}) {
  Document doc;
  try {
    read(doc, bytes, options);
    ADD_FAILURE() << "read without an error; expected one saying \"" << message << "\"";
  } catch (const lw::Error& e) {
    EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
  }
}

void expect_list_a(const Value* root) {
  ASSERT_TRUE(root != nullptr && root->is(Kind::Dict));
  const Value* a = root->get("a");
  ASSERT_TRUE(a != nullptr && a->is(Kind::List));
  ASSERT_EQ(a->items.size(), 3u);
  EXPECT_EQ(as_int(a->items[0], "a[0]"), 1);
  EXPECT_DOUBLE_EQ(as_number(a->items[1], "a[1]"), 2.5);
  EXPECT_EQ(as_string(a->items[2], "a[2]"), "x");
  const Value* b = root->get("b");
  ASSERT_TRUE(b != nullptr && b->is(Kind::Tuple) && b->items.size() == 2);
  EXPECT_TRUE(b->items[0]->is(Kind::Bool) && b->items[0]->boolean);
  EXPECT_TRUE(b->items[1]->is(Kind::None));
}

TEST(PickleReader, Protocol0Text) {
  Document doc;
  expect_list_a(read(doc, kProtocol0));
}

TEST(PickleReader, Protocol4WithFramesMemoBytesAndLongs) {
  Document doc;
  const Value* root = read(doc, kProtocol4);
  expect_list_a(root);
  EXPECT_EQ(root->get("c")->text, std::string("\x00\xff", 2));
  EXPECT_TRUE(root->get("c")->is(Kind::Bytes));
  EXPECT_EQ(as_int(root->get("n"), "n"), -70000);
  EXPECT_EQ(as_int(root->get("big"), "big"), std::int64_t{1} << 40);
}

TEST(PickleReader, EveryTruncationIsAnErrorNotACrash) {
  for (std::size_t n = 0; n + 1 < kProtocol4.size(); ++n) {
    Document doc;
    EXPECT_THROW(read(doc, kProtocol4.substr(0, n)), lw::Error) << "prefix of " << n << " bytes";
  }
}

TEST(PickleReader, UnknownGlobalIsAnInertNameWithItsArguments) {
  // cposix\nsystem\n(S'echo pwned'\ntR.  : os.system('echo pwned') in protocol 0
  Document doc;
  const Value* v = read(doc, "cposix\nsystem\n(S'echo pwned'\ntR.");
  ASSERT_TRUE(v->is(Kind::Object));
  EXPECT_EQ(v->text, "posix.system");
  ASSERT_TRUE(v->args != nullptr);
  ASSERT_EQ(v->args->items.size(), 1u);
  EXPECT_EQ(v->args->items[0]->text, "echo pwned");
}

TEST(PickleReader, OrderedDictAndSetAreInterpreted) {
  // collections.OrderedDict() then SETITEMS; builtins.set([1]) (protocol 2 style REDUCE)
  Document doc;
  const Value* d = read(doc, "\x80\x02""ccollections\nOrderedDict\n)R(X\x01\x00\x00\x00kK\x07u."s);
  ASSERT_TRUE(d->is(Kind::Dict));
  EXPECT_EQ(as_int(d->get("k"), "k"), 7);
  Document doc2;
  const Value* s = read(doc2, "\x80\x02""c__builtin__\nset\n]K\x01""a\x85R.");
  ASSERT_TRUE(s->is(Kind::Set));
  EXPECT_EQ(s->items.size(), 1u);
}

TEST(PickleReader, HostileLengthsStacksAndMemo) {
  Document doc;
  EXPECT_THROW(read(doc, std::string("\x80\x04\x8e\x00\x00\x00\x00\x00\x00\x00\x40", 11) + "abc."), lw::Error);
  ReadOptions small;
  small.max_stack = 1000;
  expect_read_error(std::string(2000, ']') + ".", "stack deeper than the limit", small);
  EXPECT_THROW(read(doc, "\x80\x02h\x05."), lw::Error);             // memo entry never stored
  EXPECT_THROW(read(doc, "\x80\x02\xff."), lw::Error);              // unknown opcode
  EXPECT_THROW(read(doc, "\x80\x02" "0."), lw::Error);              // POP on an empty stack
  EXPECT_THROW(read(doc, "\x80\x02" "K\x01" "K\x02" "s."), lw::Error);  // SETITEM on an int
}

// One memoised list of 600 pairs made into an OrderedDict again and again: each call copies it,
// so the copies are budgeted (here 1,000 references) rather than the bytes of the file.
TEST(PickleReader, RepeatedCopiesOfOneContainerAreBudgeted) {
  std::string bytes = "\x80\x02" "(K\x01K\x02\x86"s;
  for (int i = 0; i < 599; ++i) bytes += "2";  // DUP the pair
  bytes += "lq\x01" "0"s;                        // LIST, memo 1, POP
  const std::string od = "ccollections\nOrderedDict\nh\x01\x85R0"s;
  bytes += od + od + "N.";
  ReadOptions small;
  small.max_copied_items = 1000;
  expect_read_error(bytes, "copied more than 1000 references", small);  // 1,200 copies
  Document doc2;
  EXPECT_NO_THROW(read(doc2, bytes));  // the default budget is far above it
}

TEST(PickleReader, TensorOutsideItsStorageIsRejected) {
  // torch._utils._rebuild_tensor_v2(storage of 4 floats, 0, (2,), (4,), False, OrderedDict()):
  // its second element is the fifth of four.
  const std::string pid = "(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x00" "0X\x03\x00\x00\x00" "cpuK\x04tQ"s;
  const std::string call = "\x80\x02" "ctorch._utils\n_rebuild_tensor_v2\n(" + pid +
                           "K\x00"s + "K\x02\x85K\x04\x85\x89" "ccollections\nOrderedDict\n)RtR."s;
  expect_read_error(call, "reaches element 4 of a storage of 4");
  // Stride 0 cannot broadcast a storage of 4 into a view of 1,000.
  std::string broadcast = call;
  broadcast.replace(broadcast.find("K\x02\x85K\x04"), 5, "M\xe8\x03\x85K\x00"s);
  expect_read_error(broadcast, "more elements than its storage (4)");
  // A view of 2 elements with stride 1 is one whose storage the caller loads later.
  std::string ok = call;
  ok.replace(ok.find("K\x04\x85"), 2, "K\x01");
  Document doc2;
  const Value* t = read(doc2, ok);
  ASSERT_TRUE(t->is(Kind::Tensor));
  EXPECT_EQ(t->tensor.numel(), 2);
  EXPECT_FALSE(t->tensor.storage->loaded);
}

}  // namespace
