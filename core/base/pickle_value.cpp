#include "core/base/pickle_value.hpp"

#include <sstream>

#include "core/base/check.hpp"

namespace lw::pickle {

int element_size(DType t) {
  switch (t) {
    case DType::F64: case DType::I64: return 8;
    case DType::F32: case DType::I32: return 4;
    case DType::F16: case DType::BF16: case DType::I16: return 2;
    case DType::I8: case DType::U8: case DType::Bool: return 1;
  }
  return 1;
}

const char* dtype_name(DType t) {
  switch (t) {
    case DType::F32: return "float32";
    case DType::F64: return "float64";
    case DType::F16: return "float16";
    case DType::BF16: return "bfloat16";
    case DType::I64: return "int64";
    case DType::I32: return "int32";
    case DType::I16: return "int16";
    case DType::I8: return "int8";
    case DType::U8: return "uint8";
    case DType::Bool: return "bool";
  }
  return "?";
}

std::int64_t TensorView::numel() const {
  std::int64_t n = 1;
  for (auto s : sizes) n *= s;
  return n;
}

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::None: return "None";
    case Kind::Bool: return "bool";
    case Kind::Int: return "int";
    case Kind::Float: return "float";
    case Kind::String: return "str";
    case Kind::Bytes: return "bytes";
    case Kind::List: return "list";
    case Kind::Tuple: return "tuple";
    case Kind::Dict: return "dict";
    case Kind::Set: return "set";
    case Kind::Global: return "global";
    case Kind::Object: return "object";
    case Kind::PersistentId: return "persistent id";
    case Kind::Persistent: return "persistent object";
    case Kind::Storage: return "storage";
    case Kind::Tensor: return "tensor";
    case Kind::Dtype: return "dtype";
  }
  return "?";
}

const Value* Value::get(std::string_view key) const {
  if (kind != Kind::Dict) return nullptr;
  for (auto it = entries.rbegin(); it != entries.rend(); ++it)  // the last one set wins
    if (it->first->kind == Kind::String && it->first->text == key) return it->second;
  return nullptr;
}

Value& Document::make(Kind k) {
  LW_EXPECT(values_.size() < max_values_, "pickle: more than " << max_values_ << " values (a network file holds tens of thousands)");
  values_.emplace_back();
  values_.back().kind = k;
  return values_.back();
}

Value& Document::make_string(Kind k, std::string text) {
  Value& v = make(k);
  v.text = std::move(text);
  return v;
}

Storage& Document::make_storage() { return storages_.emplace_back(); }

void Document::set_limits(std::size_t values, std::size_t copied_items, std::size_t storage_bytes) {
  max_values_ = values, max_items_ = copied_items, max_bytes_ = storage_bytes;
}

void Document::charge_items(std::size_t n) {
  LW_EXPECT(n <= max_items_ - items_, "pickle: containers copied more than " << max_items_ << " references");
  items_ += n;
}

void Document::charge_bytes(std::size_t n) {
  LW_EXPECT(n <= max_bytes_ - bytes_, "pickle: storages of more than " << max_bytes_ << " bytes in a file of fewer");
  bytes_ += n;
}

std::string describe(const Value* v) {
  if (v == nullptr) return "nothing";
  std::ostringstream os;
  switch (v->kind) {
    case Kind::Global: os << "global " << v->text; break;
    case Kind::Object: os << "an object of " << v->text; break;
    case Kind::Persistent: os << "a " << v->text; break;
    case Kind::Dict: os << "a dict of " << v->entries.size() << " entries"; break;
    case Kind::List: case Kind::Tuple: os << "a " << kind_name(v->kind) << " of " << v->items.size() << " items"; break;
    case Kind::String: os << "the string '" << v->text.substr(0, 40) << "'"; break;
    case Kind::Int: os << "the int " << v->integer; break;
    case Kind::Tensor: os << "a " << dtype_name(v->tensor.storage->dtype) << " tensor"; break;
    default: os << "a " << kind_name(v->kind);
  }
  return os.str();
}

std::int64_t as_int(const Value* v, std::string_view what) {
  LW_EXPECT(v != nullptr, what << " is missing");
  if (v->kind == Kind::Bool) return v->boolean ? 1 : 0;
  LW_EXPECT(v->kind == Kind::Int, what << " should be an int, not " << describe(v));
  return v->integer;
}

double as_number(const Value* v, std::string_view what) {
  LW_EXPECT(v != nullptr, what << " is missing");
  if (v->kind == Kind::Float) return v->real;
  return static_cast<double>(as_int(v, what));
}

const std::string& as_string(const Value* v, std::string_view what) {
  LW_EXPECT(v != nullptr, what << " is missing");
  LW_EXPECT(v->kind == Kind::String, what << " should be a string, not " << describe(v));
  return v->text;
}

const Value& as_dict(const Value* v, std::string_view what) {
  LW_EXPECT(v != nullptr, what << " is missing");
  LW_EXPECT(v->kind == Kind::Dict, what << " should be a dict, not " << describe(v));
  return *v;
}

}  // namespace lw::pickle
