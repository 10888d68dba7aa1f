#include "core/base/pickle_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/base/check.hpp"
#include "core/base/pickle_globals.hpp"

namespace lw::pickle {
namespace {

// The pickle virtual machine, reduced to building values. One instance reads one pickle.
class Machine {
 public:
  Machine(detail::Context& ctx, std::string_view in, std::size_t pos) : ctx_(ctx), in_(in), pos_(pos) {}

  const Value* run();
  std::size_t position() const { return pos_; }

 private:
  // --- input ---
  [[noreturn]] void fail(const std::string& why) const {
    LW_FAIL("pickle: " << why << " at byte " << op_pos_ << " (opcode 0x" << std::hex << op_ << ")");
  }
  void need(std::size_t n) {
    if (n > in_.size() - pos_)
      fail("truncated: needs " + std::to_string(n) + " bytes, " + std::to_string(in_.size() - pos_) + " remain");
  }
  std::string_view take(std::size_t n) {
    need(n);
    auto s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::uint64_t uint_le(int n) {
    auto s = take(static_cast<std::size_t>(n));
    std::uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[static_cast<std::size_t>(i)]);
    return v;
  }
  std::string_view line() {
    auto end = in_.find('\n', pos_);
    if (end == std::string_view::npos) fail("truncated: a text argument has no end of line");
    auto s = in_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return s;
  }
  std::int64_t decimal(std::string_view s);
  std::string raw_unicode_escape(std::string_view s);
  std::size_t length(std::uint64_t n) {
    if (n > in_.size() - pos_) fail("claims " + std::to_string(n) + " bytes, " + std::to_string(in_.size() - pos_) + " remain");
    return static_cast<std::size_t>(n);
  }

  // --- stack ---
  Value& make(Kind k) { return ctx_.doc.make(k); }
  void push(Value* v) {
    if (stack_.size() >= ctx_.options.max_stack) fail("stack deeper than the limit");
    stack_.push_back(v);
  }
  Value* pop() {
    if (stack_.size() <= floor()) fail("stack underflow");
    Value* v = stack_.back();
    stack_.pop_back();
    return v;
  }
  Value* top() {
    if (stack_.size() <= floor()) fail("stack underflow");
    return stack_.back();
  }
  std::size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
  std::vector<Value*> pop_mark() {
    if (marks_.empty()) fail("no mark");
    std::vector<Value*> items(stack_.begin() + static_cast<std::ptrdiff_t>(marks_.back()), stack_.end());
    stack_.resize(marks_.back());
    marks_.pop_back();
    return items;
  }
  void memo_put(std::uint64_t index) {
    if (memo_.size() >= ctx_.options.max_memo && !memo_.count(index)) fail("memo larger than the limit");
    memo_[index] = top();
  }
  Value* memo_get(std::uint64_t index) {
    auto it = memo_.find(index);
    if (it == memo_.end()) fail("memo entry " + std::to_string(index) + " was never stored");
    return it->second;
  }

  // --- opcodes ---
  bool step();
  bool step_strings();
  bool step_containers();
  bool step_objects();
  Value* call(Value& callable, Value& args);
  Value* newobj(Value& cls, Value& args);
  std::vector<Value*> pop_mark_under_top();
  void op_int(std::int64_t v) { Value& x = make(Kind::Int); x.integer = v; push(&x); }
  void op_long(std::size_t n);
  void op_text(Kind k, std::size_t n) { push(&ctx_.doc.make_string(k, std::string(take(n)))); }
  void op_collection(Kind k, std::vector<Value*> items) { Value& x = make(k); x.items = std::move(items); push(&x); }
  void op_global(std::string module, std::string name);
  void op_setitems(std::vector<Value*> kv);
  void op_appends(std::vector<Value*> items);
  void op_quoted_string();
  void op_float_text();

  detail::Context& ctx_;
  std::string_view in_;
  std::size_t pos_;
  std::size_t op_pos_ = 0;
  unsigned op_ = 0;
  std::vector<Value*> stack_;
  std::vector<std::size_t> marks_;
  std::unordered_map<std::uint64_t, Value*> memo_;
  const Value* result_ = nullptr;
};

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// Protocol 0's UNICODE: latin-1 bytes with \uXXXX and \UXXXXXXXX escapes, decoded to UTF-8.
std::string Machine::raw_unicode_escape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const std::size_t digits = (s[i] == '\\' && i + 1 < s.size()) ? (s[i + 1] == 'u' ? 4 : s[i + 1] == 'U' ? 8 : 0) : 0;
    if (digits == 0) { append_utf8(out, static_cast<unsigned char>(s[i])); continue; }
    std::uint32_t cp = 0;
    auto [p, ec] = std::from_chars(s.data() + i + 2, s.data() + std::min(s.size(), i + 2 + digits), cp, 16);
    if (ec != std::errc() || p != s.data() + i + 2 + digits || cp > 0x10ffff) fail("bad escape in UNICODE");
    append_utf8(out, cp);
    i += 1 + digits;
  }
  return out;
}

std::int64_t Machine::decimal(std::string_view s) {
  while (!s.empty() && (s.back() == 'L' || s.back() == '\r')) s.remove_suffix(1);
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) fail("not a decimal integer: '" + std::string(s.substr(0, 30)) + "'");
  return v;
}

void Machine::op_long(std::size_t n) {
  auto bytes = take(length(n));
  if (n <= 8) {
    std::uint64_t v = 0;
    for (std::size_t i = n; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(bytes[i]);
    if (n > 0 && n < 8 && (static_cast<unsigned char>(bytes[n - 1]) & 0x80)) v |= ~std::uint64_t{0} << (8 * n);
    op_int(static_cast<std::int64_t>(v));
    return;
  }
  // Wider than 64 bits (torch's legacy magic number): kept as its little-endian bytes.
  push(&ctx_.doc.make_string(Kind::Bytes, std::string(bytes)));
}

void Machine::op_global(std::string module, std::string name) {
  if (module.empty() || name.empty()) fail("a global with an empty name");
  push(&ctx_.doc.make_string(Kind::Global, module + "." + name));
}

void Machine::op_setitems(std::vector<Value*> kv) {
  if (kv.size() % 2 != 0) fail("odd number of items for a dict");
  Value* target = top();
  if (!target->is(Kind::Dict) && !target->is(Kind::Object)) fail("SETITEMS on " + describe(target));
  // A key set twice stays twice: lookups and readers take the last, as a dict keeps it (no
  // search per insert, which a dict of millions of keys would make quadratic).
  for (std::size_t i = 0; i < kv.size(); i += 2) target->entries.emplace_back(kv[i], kv[i + 1]);
}

void Machine::op_appends(std::vector<Value*> items) {
  Value* target = top();
  if (target->is(Kind::List)) target->items.insert(target->items.end(), items.begin(), items.end());
  else if (target->is(Kind::Object)) target->appended.insert(target->appended.end(), items.begin(), items.end());
  else fail("APPENDS on " + describe(target));
}

// Protocol 0's STRING: a Python repr in quotes with backslash escapes.
void Machine::op_quoted_string() {
  auto s = line();
  while (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  if (s.size() < 2 || (s.front() != '\'' && s.front() != '"') || s.back() != s.front()) fail("STRING is not quoted");
  s = s.substr(1, s.size() - 2);
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) { out += s[i]; continue; }
    char c = s[++i];
    if (c == 'n') out += '\n';
    else if (c == 't') out += '\t';
    else if (c == 'r') out += '\r';
    else if (c == 'x' && i + 2 < s.size()) {
      unsigned byte = 0;
      auto [p, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, byte, 16);
      if (ec != std::errc() || p != s.data() + i + 3) fail("bad \\x escape in STRING");
      out += static_cast<char>(byte);
      i += 2;
    } else out += c;
  }
  push(&ctx_.doc.make_string(Kind::String, std::move(out)));
}

void Machine::op_float_text() {
  auto s = std::string(line());
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str()) fail("not a float: '" + s.substr(0, 30) + "'");
  Value& x = make(Kind::Float);
  x.real = v;
  push(&x);
}

}  // namespace

namespace {

// Executes one opcode; false after STOP.
bool Machine::step() {
  op_pos_ = pos_;
  op_ = static_cast<unsigned char>(take(1)[0]);
  switch (op_) {
    // Structure.
    case 0x80: if (uint_le(1) > 5) fail("unknown pickle protocol"); break;                  // PROTO
    case 0x95: length(uint_le(8)); break;                                                   // FRAME
    case '.': result_ = pop(); return false;                                                // STOP
    case '(':                                                                               // MARK
      if (marks_.size() >= ctx_.options.max_stack) fail("marks deeper than the limit");
      marks_.push_back(stack_.size());
      break;
    case '0': pop(); break;                                                                 // POP
    case '1': pop_mark(); break;                                                            // POP_MARK
    case '2': push(top()); break;                                                           // DUP
    // Memo.
    case 'p': memo_put(static_cast<std::uint64_t>(decimal(line()))); break;                 // PUT
    case 'q': memo_put(uint_le(1)); break;                                                  // BINPUT
    case 'r': memo_put(uint_le(4)); break;                                                  // LONG_BINPUT
    case 0x94: memo_put(memo_.size()); break;                                               // MEMOIZE
    case 'g': push(memo_get(static_cast<std::uint64_t>(decimal(line())))); break;           // GET
    case 'h': push(memo_get(uint_le(1))); break;                                            // BINGET
    case 'j': push(memo_get(uint_le(4))); break;                                            // LONG_BINGET
    // Scalars.
    case 'N': push(&make(Kind::None)); break;                                               // NONE
    case 0x88: case 0x89: { Value& b = make(Kind::Bool); b.boolean = op_ == 0x88; push(&b); break; }
    case 'I': {                                                                             // INT
      auto s = line();
      if (s == "01" || s == "00") { Value& b = make(Kind::Bool); b.boolean = s == "01"; push(&b); }
      else op_int(decimal(s));
      break;
    }
    case 'L': op_int(decimal(line())); break;                                               // LONG
    case 'J': op_int(static_cast<std::int32_t>(uint_le(4))); break;                         // BININT
    case 'K': op_int(static_cast<std::int64_t>(uint_le(1))); break;                         // BININT1
    case 'M': op_int(static_cast<std::int64_t>(uint_le(2))); break;                         // BININT2
    case 0x8a: op_long(static_cast<std::size_t>(uint_le(1))); break;                        // LONG1
    case 0x8b: op_long(static_cast<std::size_t>(uint_le(4))); break;                        // LONG4
    case 'F': op_float_text(); break;                                                       // FLOAT
    case 'G': {                                                                             // BINFLOAT
      std::uint64_t bits = 0;
      for (char c : take(8)) bits = (bits << 8) | static_cast<unsigned char>(c);
      Value& f = make(Kind::Float);
      std::memcpy(&f.real, &bits, 8);
      push(&f);
      break;
    }
    default: return step_strings();
  }
  return true;
}

bool Machine::step_strings() {
  switch (op_) {
    case 'S': op_quoted_string(); break;                                                    // STRING
    case 'V': push(&ctx_.doc.make_string(Kind::String, raw_unicode_escape(line()))); break; // UNICODE
    case 'T': op_text(Kind::String, length(uint_le(4))); break;                             // BINSTRING
    case 'U': op_text(Kind::String, length(uint_le(1))); break;                             // SHORT_BINSTRING
    case 'X': op_text(Kind::String, length(uint_le(4))); break;                             // BINUNICODE
    case 0x8c: op_text(Kind::String, length(uint_le(1))); break;                            // SHORT_BINUNICODE
    case 0x8d: op_text(Kind::String, length(uint_le(8))); break;                            // BINUNICODE8
    case 'B': op_text(Kind::Bytes, length(uint_le(4))); break;                              // BINBYTES
    case 'C': op_text(Kind::Bytes, length(uint_le(1))); break;                              // SHORT_BINBYTES
    case 0x8e: op_text(Kind::Bytes, length(uint_le(8))); break;                             // BINBYTES8
    case 0x96: op_text(Kind::Bytes, length(uint_le(8))); break;                             // BYTEARRAY8
    case 0x97: fail("out-of-band buffers are not part of a file");                          // NEXT_BUFFER
    case 0x98: top(); break;                                                                // READONLY_BUFFER
    default: return step_containers();
  }
  return true;
}

bool Machine::step_containers() {
  switch (op_) {
    case ']': op_collection(Kind::List, {}); break;                                         // EMPTY_LIST
    case 'l': op_collection(Kind::List, pop_mark()); break;                                 // LIST
    case ')': op_collection(Kind::Tuple, {}); break;                                        // EMPTY_TUPLE
    case 't': op_collection(Kind::Tuple, pop_mark()); break;                                // TUPLE
    case 0x85: { auto a = pop(); op_collection(Kind::Tuple, {a}); break; }                  // TUPLE1
    case 0x86: { auto b = pop(), a = pop(); op_collection(Kind::Tuple, {a, b}); break; }    // TUPLE2
    case 0x87: { auto c = pop(), b = pop(), a = pop(); op_collection(Kind::Tuple, {a, b, c}); break; }
    case '}': push(&make(Kind::Dict)); break;                                               // EMPTY_DICT
    case 'd': push(&make(Kind::Dict)); op_setitems(pop_mark_under_top()); break;            // DICT
    case 's': { auto v = pop(), k = pop(); op_setitems({k, v}); break; }                    // SETITEM
    case 'u': op_setitems(pop_mark()); break;                                               // SETITEMS
    case 'a': { auto v = pop(); op_appends({v}); break; }                                   // APPEND
    case 'e': op_appends(pop_mark()); break;                                                // APPENDS
    case 0x8f: op_collection(Kind::Set, {}); break;                                         // EMPTY_SET
    case 0x91: op_collection(Kind::Set, pop_mark()); break;                                 // FROZENSET
    case 0x90: {                                                                            // ADDITEMS
      auto items = pop_mark();
      Value* set = top();
      if (!set->is(Kind::Set)) fail("ADDITEMS on " + describe(set));
      set->items.insert(set->items.end(), items.begin(), items.end());
      break;
    }
    default: return step_objects();
  }
  return true;
}

bool Machine::step_objects() {
  switch (op_) {
    case 'c': { auto m = std::string(line()); op_global(m, std::string(line())); break; }  // GLOBAL
    case 0x93: {                                                                            // STACK_GLOBAL
      Value* name = pop();
      Value* module = pop();
      if (!name->is(Kind::String) || !module->is(Kind::String)) fail("STACK_GLOBAL needs two strings");
      op_global(module->text, name->text);
      break;
    }
    case 'R': { Value* args = pop(); Value* f = pop(); push(call(*f, *args)); break; }    // REDUCE
    case 0x81: { Value* args = pop(); Value* cls = pop(); push(newobj(*cls, *args)); break; }
    case 0x92: {                                                                            // NEWOBJ_EX
      pop();  // keyword arguments: nothing we interpret takes any
      Value* args = pop();
      Value* cls = pop();
      push(newobj(*cls, *args));
      break;
    }
    case 'b': { Value* state = pop(); detail::build(ctx_, *top(), state); break; }          // BUILD
    case 'i': {                                                                             // INST
      auto m = std::string(line());
      auto n = std::string(line());
      Value& args = make(Kind::Tuple);
      args.items = pop_mark();
      push(newobj(ctx_.doc.make_string(Kind::Global, m + "." + n), args));
      break;
    }
    case 'o': {                                                                             // OBJ
      auto items = pop_mark();
      if (items.empty()) fail("OBJ without a class");
      Value& args = make(Kind::Tuple);
      args.items.assign(items.begin() + 1, items.end());
      push(newobj(*items.front(), args));
      break;
    }
    case 'Q': { Value* pid = pop(); push(detail::persistent_load(ctx_, *pid)); break; }    // BINPERSID
    case 'P': push(detail::persistent_load(ctx_, ctx_.doc.make_string(Kind::String, std::string(line())))); break;
    case 0x82: case 0x83: case 0x84: fail("extension registry codes are not supported");  // EXT1/2/4
    default: fail("unknown opcode");
  }
  return true;
}

Value* Machine::call(Value& callable, Value& args) {
  if (!args.is(Kind::Tuple)) fail("REDUCE arguments are not a tuple");
  return detail::call_global(ctx_, callable, args);
}

Value* Machine::newobj(Value& cls, Value& args) {
  if (!args.is(Kind::Tuple)) fail("NEWOBJ arguments are not a tuple");
  return detail::new_object(ctx_, cls, args);
}

// DICT: MARK k v k v ... DICT; the dict was pushed above the items, so move it below them.
std::vector<Value*> Machine::pop_mark_under_top() {
  Value* dict = pop();
  auto items = pop_mark();
  push(dict);
  return items;
}

const Value* Machine::run() {
  std::size_t reported = pos_;
  while (step()) {
    if (ctx_.options.progress && ctx_.nesting == 0 && pos_ - reported >= (std::size_t{8} << 20)) {
      ctx_.options.progress(pos_, in_.size());
      reported = pos_;
    }
  }
  if (ctx_.options.progress && ctx_.nesting == 0) ctx_.options.progress(pos_, in_.size());
  return result_;
}


const Value* run_machine(detail::Context& ctx, std::string_view bytes, std::size_t& pos) {
  Machine machine(ctx, bytes, pos);
  const Value* result = machine.run();
  pos = machine.position();
  return result;
}

// torch's legacy magic number 0x1950a86a20f9469cfc6c, as LONG1 stores it (little-endian).
bool is_legacy_magic(const Value* v) {
  static constexpr unsigned char kMagic[] = {0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};
  return v != nullptr && v->is(Kind::Bytes) && v->text.size() == sizeof kMagic &&
         std::memcmp(v->text.data(), kMagic, sizeof kMagic) == 0;
}

// After the pickles of a legacy stream: the keys of its storages in order, then each storage
// as an int64 element count and its raw bytes.
void read_legacy_storages(detail::Context& ctx, const Value* keys, std::string_view bytes, std::size_t& pos) {
  LW_EXPECT(keys != nullptr && keys->is(Kind::List), "torch.save stream: the storage key list is " << describe(keys));
  for (const Value* key : keys->items) {
    const auto& name = as_string(key, "torch.save stream: a storage key");
    auto it = ctx.storages_by_key.find(name);
    LW_EXPECT(it != ctx.storages_by_key.end(), "torch.save stream: storage '" << name << "' was never referenced");
    Storage& s = *it->second;
    LW_EXPECT(bytes.size() - pos >= 8, "torch.save stream: truncated before storage '" << name << "'");
    std::int64_t numel = 0;
    std::memcpy(&numel, bytes.data() + pos, 8);
    pos += 8;
    LW_EXPECT(numel == s.numel, "torch.save stream: storage '" << name << "' holds " << numel << " elements, "
                                                                << s.numel << " were promised");
    const auto n = static_cast<std::size_t>(numel) * static_cast<std::size_t>(element_size(s.dtype));
    LW_EXPECT(n <= bytes.size() - pos, "torch.save stream: storage '" << name << "' is truncated (" << n
                                                                       << " bytes promised, " << bytes.size() - pos
                                                                       << " remain)");
    ctx.doc.charge_bytes(n);
    s.bytes.assign(bytes.data() + pos, n);
    s.loaded = true;
    pos += n;
  }
}

}  // namespace

const Value* read_pickle(Document& doc, std::string_view bytes, std::size_t& pos, const ReadOptions& options,
                         int nesting) {
  if (nesting == 0) doc.set_limits(options.max_values, options.max_copied_items, bytes.size());
  detail::Context ctx{doc, options, nesting, {}};
  return run_machine(ctx, bytes, pos);
}

const Value* read_stream(Document& doc, std::string_view bytes, const ReadOptions& options, int nesting) {
  LW_EXPECT(nesting <= options.max_nested_streams,
            "pickle: torch.save streams nested more than " << options.max_nested_streams << " deep");
  if (nesting == 0) doc.set_limits(options.max_values, options.max_copied_items, bytes.size());
  detail::Context ctx{doc, options, nesting, {}};
  std::size_t pos = 0;
  const Value* first = run_machine(ctx, bytes, pos);
  if (!is_legacy_magic(first)) return first;
  const Value* version = run_machine(ctx, bytes, pos);
  LW_EXPECT(version != nullptr && version->is(Kind::Int) && version->integer == 1001,
            "torch.save stream: unknown protocol version " << describe(version));
  const Value* info = run_machine(ctx, bytes, pos);
  if (const Value* le = info ? info->get("little_endian") : nullptr)
    LW_EXPECT(le->is(Kind::Bool) && le->boolean, "torch.save stream: big-endian files are not supported");
  const Value* result = run_machine(ctx, bytes, pos);
  read_legacy_storages(ctx, run_machine(ctx, bytes, pos), bytes, pos);
  return result;
}

}  // namespace lw::pickle
