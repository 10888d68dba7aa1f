#include "core/base/pickle_globals.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <optional>
#include <string_view>

#include "core/base/check.hpp"

namespace lw::pickle::detail {
namespace {

using Handler = Value* (*)(Context&, Value& args);

Value* arg(Value& args, std::size_t i, std::string_view what) {
  LW_EXPECT(i < args.items.size(), "pickle: " << what << " takes at least " << i + 1 << " arguments, got "
                                              << args.items.size());
  return args.items[i];
}

Value* inert(Context& ctx, const std::string& name, Value& args) {
  Value& v = ctx.doc.make_string(Kind::Object, name);
  v.args = &args;
  return &v;
}

Value* ordered_dict(Context& ctx, Value& args) {
  Value& d = ctx.doc.make(Kind::Dict);
  if (args.items.empty()) return &d;
  const Value* pairs = args.items[0];
  LW_EXPECT(pairs->is(Kind::List) || pairs->is(Kind::Tuple), "pickle: OrderedDict built from " << describe(pairs));
  ctx.doc.charge_items(pairs->items.size());
  for (const Value* kv : pairs->items) {
    LW_EXPECT((kv->is(Kind::Tuple) || kv->is(Kind::List)) && kv->items.size() == 2,
              "pickle: OrderedDict item is " << describe(kv));
    d.entries.emplace_back(kv->items[0], kv->items[1]);
  }
  return &d;
}

Value* set_of(Context& ctx, Value& args) {
  Value& s = ctx.doc.make(Kind::Set);
  if (!args.items.empty()) {
    const Value* items = args.items[0];
    LW_EXPECT(items->is(Kind::List) || items->is(Kind::Tuple), "pickle: set built from " << describe(items));
    ctx.doc.charge_items(items->items.size());
    s.items = items->items;
  }
  return &s;
}

// Protocols 0-2 pickle bytes as _codecs.encode(text, 'latin1'): each code point is one byte.
Value* codecs_encode(Context& ctx, Value& args) {
  const std::string& text = as_string(arg(args, 0, "_codecs.encode"), "encoded text");
  const std::string& codec = args.items.size() > 1 ? as_string(args.items[1], "a codec") : std::string("utf-8");
  if (codec != "latin1" && codec != "latin-1") return inert(ctx, "_codecs.encode", args);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) { out += static_cast<char>(c); continue; }
    LW_EXPECT((c & 0xe0) == 0xc0 && c <= 0xc3 && i + 1 < text.size(), "pickle: latin-1 text with a character above 255");
    out += static_cast<char>(((c & 0x1f) << 6) | (static_cast<unsigned char>(text[++i]) & 0x3f));
  }
  return &ctx.doc.make_string(Kind::Bytes, std::move(out));
}

Value* easy_dict(Context& ctx, Value&) { return &ctx.doc.make(Kind::Dict); }

Value* size_tuple(Context& ctx, Value& args) {
  Value& t = ctx.doc.make(Kind::Tuple);
  if (!args.items.empty()) {
    ctx.doc.charge_items(args.items[0]->items.size());
    t.items = args.items[0]->items;
  }
  return &t;
}

std::vector<std::int64_t> int_tuple(const Value* v, std::string_view what) {
  LW_EXPECT(v->is(Kind::Tuple) || v->is(Kind::List), "pickle: tensor " << what << " is " << describe(v));
  LW_EXPECT(v->items.size() <= 16, "pickle: tensor of " << v->items.size() << " dimensions");
  std::vector<std::int64_t> out;
  for (const Value* x : v->items) out.push_back(as_int(x, "a tensor's " + std::string(what)));
  return out;
}

// The number of elements of `sizes`, which may not exceed `limit` (checked without overflow):
// a shape is copied out when it is read, so it may not promise more than the file carries.
std::int64_t bounded_elements(const std::vector<std::int64_t>& sizes, std::int64_t limit, const std::string& what) {
  std::int64_t elements = 1;
  for (const auto s : sizes) {
    LW_EXPECT(s >= 0, "pickle: " << what << " with a negative dimension");
    LW_EXPECT(s == 0 || elements <= std::max<std::int64_t>(limit, 1) / s,
              "pickle: " << what << " of more elements than its storage (" << limit << ") holds");
    elements *= s;
  }
  return elements;
}

// Every element the view can reach lies inside its storage.
void check_bounds(const TensorView& t) {
  const std::int64_t numel = t.storage->numel;
  LW_EXPECT(t.sizes.size() == t.strides.size(), "pickle: tensor sizes and strides differ in length");
  LW_EXPECT(t.offset >= 0, "pickle: tensor with a negative storage offset");
  std::int64_t last = t.offset;
  bool empty = false;
  for (std::size_t i = 0; i < t.sizes.size(); ++i) {
    LW_EXPECT(t.sizes[i] >= 0 && t.strides[i] >= 0, "pickle: tensor with a negative size or stride");
    if (t.sizes[i] == 0) empty = true;
    if (t.sizes[i] <= 1) continue;
    LW_EXPECT(t.strides[i] == 0 || t.sizes[i] - 1 <= (std::numeric_limits<std::int64_t>::max() - last) / t.strides[i],
              "pickle: tensor extent overflows");
    last += (t.sizes[i] - 1) * t.strides[i];
  }
  // Not more elements than the storage holds (stride 0 could broadcast a small file into gigabytes).
  bounded_elements(t.sizes, numel, "a tensor");
  LW_EXPECT(empty || last < numel, "pickle: tensor reaches element " << last << " of a storage of " << numel
                                                                     << " (storage '" << t.storage->key << "')");
}

Value* rebuild_tensor(Context& ctx, Value& args) {
  arg(args, 3, "_rebuild_tensor");
  const Value* storage = args.items[0];
  LW_EXPECT(storage->is(Kind::Storage), "pickle: a tensor's storage is " << describe(storage));
  Value& t = ctx.doc.make(Kind::Tensor);
  t.tensor.storage = storage->storage;
  t.tensor.offset = as_int(args.items[1], "a tensor's storage offset");
  t.tensor.sizes = int_tuple(args.items[2], "size");
  t.tensor.strides = int_tuple(args.items[3], "stride");
  check_bounds(t.tensor);
  return &t;
}

Value* rebuild_parameter(Context& ctx, Value& args) {
  const Value* data = arg(args, 0, "_rebuild_parameter");
  LW_EXPECT(data->is(Kind::Tensor) && !data->pending_array, "pickle: a parameter's data is " << describe(data));
  Value& p = ctx.doc.make(Kind::Tensor);
  p.tensor = data->tensor;
  p.tensor.is_parameter = true;
  return &p;
}

Value* load_from_bytes(Context& ctx, Value& args) {
  const Value* bytes = arg(args, 0, "_load_from_bytes");
  LW_EXPECT(bytes->is(Kind::Bytes), "pickle: _load_from_bytes of " << describe(bytes));
  // A stream called for again (the same bytes value, memoised) is not read again.
  auto& streams = ctx.doc.stream_cache();
  if (auto it = streams.find(bytes); it != streams.end()) return it->second;
  const Value* storage = read_stream(ctx.doc, bytes->text, ctx.options, ctx.nesting + 1);
  LW_EXPECT(storage != nullptr && storage->is(Kind::Storage) && storage->storage->loaded,
            "pickle: a pickled storage holds " << describe(storage));
  return streams[bytes] = const_cast<Value*>(storage);
}

// NVlabs' torch_utils.persistence: meta = {type, version, module_src, class_name, state}. The
// module source is never read; the class name and the state are all we keep.
Value* persistent_object(Context& ctx, Value& args) {
  Value* meta = arg(args, 0, "_reconstruct_persistent_obj");
  if (!meta->is(Kind::Dict) || meta->get("class_name") == nullptr || meta->get("state") == nullptr)
    return inert(ctx, "torch_utils.persistence._reconstruct_persistent_obj", args);
  Value& p = ctx.doc.make_string(Kind::Persistent, as_string(meta->get("class_name"), "a persistent class name"));
  p.state = const_cast<Value*>(meta->get("state"));
  return &p;
}

Value* numpy_dtype(Context& ctx, Value& args) {
  return &ctx.doc.make_string(Kind::Dtype, as_string(arg(args, 0, "numpy.dtype"), "a numpy dtype"));
}

// numpy's descr ("<f4", "|u1", "f8" before its BUILD gives the byte order) as our dtype.
DType numpy_type(const Value* dtype) {
  LW_EXPECT(dtype != nullptr && dtype->is(Kind::Dtype), "pickle: numpy value without a dtype");
  std::string_view d = dtype->text;
  if (!d.empty() && (d[0] == '<' || d[0] == '|' || d[0] == '=')) d.remove_prefix(1);
  LW_EXPECT(d.empty() || d[0] != '>', "pickle: big-endian numpy data is not supported");
  static const std::pair<std::string_view, DType> kTypes[] = {
      {"f4", DType::F32}, {"f8", DType::F64}, {"f2", DType::F16}, {"i8", DType::I64}, {"i4", DType::I32},
      {"i2", DType::I16}, {"i1", DType::I8},  {"u1", DType::U8},  {"b1", DType::Bool}};
  for (const auto& [name, type] : kTypes)
    if (d == name) return type;
  LW_FAIL("pickle: numpy dtype '" << dtype->text << "' is not supported");
}

Value* numpy_scalar(Context& ctx, Value& args) {
  arg(args, 1, "numpy scalar");
  const DType type = numpy_type(args.items[0]);
  const Value* raw = args.items[1];
  LW_EXPECT(raw->is(Kind::Bytes) || raw->is(Kind::String), "pickle: numpy scalar bytes are " << describe(raw));
  LW_EXPECT(raw->text.size() == static_cast<std::size_t>(element_size(type)), "pickle: numpy scalar of the wrong size");
  const char* p = raw->text.data();
  auto read = [p](auto sample) { std::memcpy(&sample, p, sizeof sample); return sample; };
  switch (type) {
    case DType::F64: { Value& v = ctx.doc.make(Kind::Float); v.real = read(double{}); return &v; }
    case DType::F32: { Value& v = ctx.doc.make(Kind::Float); v.real = read(float{}); return &v; }
    case DType::Bool: { Value& v = ctx.doc.make(Kind::Bool); v.boolean = p[0] != 0; return &v; }
    case DType::I64: { Value& v = ctx.doc.make(Kind::Int); v.integer = read(std::int64_t{}); return &v; }
    case DType::I32: { Value& v = ctx.doc.make(Kind::Int); v.integer = read(std::int32_t{}); return &v; }
    case DType::I16: { Value& v = ctx.doc.make(Kind::Int); v.integer = read(std::int16_t{}); return &v; }
    case DType::I8: { Value& v = ctx.doc.make(Kind::Int); v.integer = read(std::int8_t{}); return &v; }
    case DType::U8: { Value& v = ctx.doc.make(Kind::Int); v.integer = read(std::uint8_t{}); return &v; }
    default: LW_FAIL("pickle: numpy scalar of dtype " << dtype_name(type) << " is not supported");
  }
}

// numpy.core.multiarray._reconstruct(ndarray, (0,), b'b'): an empty array that BUILD fills.
Value* numpy_array(Context& ctx, Value&) {
  Value& a = ctx.doc.make(Kind::Tensor);
  a.pending_array = true;
  a.tensor.storage = &ctx.doc.make_storage();
  a.tensor.storage->key = "numpy array";
  a.tensor.storage->loaded = true;
  return &a;
}

// BUILD state of an array: (version, shape, dtype, is_fortran, raw bytes).
void fill_array(Value& a, const Value* state) {
  LW_EXPECT(state != nullptr && state->is(Kind::Tuple) && state->items.size() == 5,
            "pickle: numpy array state is " << describe(state));
  TensorView& t = a.tensor;
  t.storage->dtype = numpy_type(state->items[2]);
  t.sizes = int_tuple(state->items[1], "shape");
  const Value* raw = state->items[4];
  LW_EXPECT(raw->is(Kind::Bytes) || raw->is(Kind::String), "pickle: numpy array data is " << describe(raw)
                                                                  << " (object arrays are not read)");
  // The shape must account for exactly the bytes carried.
  const auto available = static_cast<std::int64_t>(raw->text.size() / static_cast<std::size_t>(element_size(t.storage->dtype)));
  const std::int64_t elements = bounded_elements(t.sizes, available, "a numpy array");
  const bool fortran = state->items[3]->is(Kind::Bool) && state->items[3]->boolean;
  t.strides.assign(t.sizes.size(), 1);
  for (std::size_t k = 1; k < t.sizes.size(); ++k) {
    const std::size_t i = fortran ? k : t.sizes.size() - 1 - k;
    const std::size_t prev = fortran ? k - 1 : i + 1;
    t.strides[i] = t.strides[prev] * std::max<std::int64_t>(t.sizes[prev], 1);
  }
  t.storage->numel = elements;
  LW_EXPECT(raw->text.size() == static_cast<std::size_t>(t.storage->numel) * element_size(t.storage->dtype),
            "pickle: numpy array of " << t.storage->numel << " elements carries " << raw->text.size() << " bytes");
  t.storage->bytes = raw->text;
  a.pending_array = false;
}

const std::unordered_map<std::string_view, Handler>& handlers() {
  static const std::unordered_map<std::string_view, Handler> table = {
      {"collections.OrderedDict", ordered_dict},
      {"builtins.set", set_of},
      {"builtins.frozenset", set_of},
      {"__builtin__.set", set_of},
      {"dnnlib.util.EasyDict", easy_dict},
      {"dnnlib.EasyDict", easy_dict},
      {"torch.Size", size_tuple},
      {"_codecs.encode", codecs_encode},
      {"torch._utils._rebuild_tensor", rebuild_tensor},
      {"torch._utils._rebuild_tensor_v2", rebuild_tensor},
      {"torch._utils._rebuild_parameter", rebuild_parameter},
      {"torch._utils._rebuild_parameter_with_state", rebuild_parameter},
      {"torch.storage._load_from_bytes", load_from_bytes},
      {"torch_utils.persistence._reconstruct_persistent_obj", persistent_object},
      {"numpy.dtype", numpy_dtype},
      {"numpy.core.multiarray.scalar", numpy_scalar},
      {"numpy._core.multiarray.scalar", numpy_scalar},
      {"numpy.core.multiarray._reconstruct", numpy_array},
      {"numpy._core.multiarray._reconstruct", numpy_array},
  };
  return table;
}

std::optional<DType> storage_type(std::string_view name) {
  static const std::pair<std::string_view, DType> kTypes[] = {
      {"torch.FloatStorage", DType::F32},  {"torch.DoubleStorage", DType::F64}, {"torch.HalfStorage", DType::F16},
      {"torch.BFloat16Storage", DType::BF16}, {"torch.LongStorage", DType::I64}, {"torch.IntStorage", DType::I32},
      {"torch.ShortStorage", DType::I16},  {"torch.CharStorage", DType::I8},    {"torch.ByteStorage", DType::U8},
      {"torch.BoolStorage", DType::Bool},  {"torch.UntypedStorage", DType::U8}};
  for (const auto& [n, t] : kTypes)
    if (n == name) return t;
  return std::nullopt;
}

}  // namespace

Value* call_global(Context& ctx, Value& callable, Value& args) {
  if (!callable.is(Kind::Global)) return inert(ctx, "a call of " + describe(&callable), args);
  auto it = handlers().find(callable.text);
  if (it == handlers().end()) return inert(ctx, callable.text, args);
  return it->second(ctx, args);
}

Value* new_object(Context& ctx, Value& cls, Value& args) {
  if (cls.is(Kind::Global)) {
    const std::string& n = cls.text;
    if (n == "collections.OrderedDict" || n == "builtins.dict" || n == "dnnlib.util.EasyDict" || n == "dnnlib.EasyDict")
      return &ctx.doc.make(Kind::Dict);
    if (n == "builtins.set") return &ctx.doc.make(Kind::Set);
    return inert(ctx, n, args);
  }
  return inert(ctx, "an instance of " + describe(&cls), args);
}

void build(Context&, Value& obj, Value* state) {
  if (obj.is(Kind::Object)) {
    obj.state = state;
  } else if (obj.is(Kind::Dtype)) {
    // (version, byte order, ...): the order character completes the descr.
    if (state != nullptr && state->is(Kind::Tuple) && state->items.size() > 1 && state->items[1]->is(Kind::String) &&
        !state->items[1]->text.empty())
      obj.text = state->items[1]->text.substr(0, 1) + obj.text;
  } else if (obj.is(Kind::Tensor) && obj.pending_array) {
    fill_array(obj, state);
  }
  // Any other BUILD (an option dict's own __dict__, a tensor's Python attributes) adds nothing
  // the importer reads.
}

Value* persistent_load(Context& ctx, Value& pid) {
  const bool storage_pid = pid.is(Kind::Tuple) && pid.items.size() >= 5 && pid.items[0]->is(Kind::String) &&
                           pid.items[0]->text == "storage";
  if (!storage_pid) {
    Value& v = ctx.doc.make(Kind::PersistentId);
    v.args = &pid;
    return &v;
  }
  const Value* type = pid.items[1];
  LW_EXPECT(type->is(Kind::Global), "pickle: storage type is " << describe(type));
  const auto dtype = storage_type(type->text);
  LW_EXPECT(dtype.has_value(), "pickle: storage type " << type->text << " is not supported");
  const Value* key_value = pid.items[2];
  const std::string key = key_value->is(Kind::Int) ? std::to_string(key_value->integer)
                                                   : as_string(key_value, "a storage key");
  const std::int64_t numel = as_int(pid.items[4], "a storage's element count");
  LW_EXPECT(numel >= 0 && numel <= (std::int64_t{1} << 40), "pickle: storage '" << key << "' of " << numel << " elements");
  LW_EXPECT(pid.items.size() < 6 || pid.items[5]->is(Kind::None), "pickle: storage views are not supported");
  Storage*& s = ctx.storages_by_key[key];
  if (s == nullptr) {
    s = &ctx.doc.make_storage();
    s->dtype = *dtype;
    s->key = key;
    s->numel = numel;
  }
  LW_EXPECT(s->dtype == *dtype && s->numel == numel, "pickle: storage '" << key << "' is declared twice, differently");
  Value& v = ctx.doc.make(Kind::Storage);
  v.storage = s;
  return &v;
}

}  // namespace lw::pickle::detail
