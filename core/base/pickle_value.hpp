// The plain object tree a pickle becomes. Nothing in it was ever called: a global reference is a
// name, a call of a global we do not interpret is an inert Object holding its name and
// arguments. The globals we do interpret (tensor and storage rebuilding, ordered dicts, sets,
// NVlabs' persistent objects, numpy scalars, dtypes and arrays) become typed values.
// All values live in one Document (an arena), so shared and even cyclic references are plain
// pointers that are freed together.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace lw::pickle {

enum class DType { F32, F64, F16, BF16, I64, I32, I16, I8, U8, Bool };
int element_size(DType t);
const char* dtype_name(DType t);

// Raw bytes of a torch storage: read from a nested legacy torch.save stream, the tail of a
// legacy file, or a torch.save zip record (filled by the caller, see Document::storages()).
struct Storage {
  DType dtype = DType::F32;
  std::string key;            // the storage's key in its file
  std::int64_t numel = 0;     // elements the file promised
  std::string bytes;          // numel * element_size bytes once loaded
  bool loaded = false;
};

// A strided view of a storage (a torch tensor), or a numpy array's own bytes (storage owned
// by the document as well). Bounds are checked when the view is made.
struct TensorView {
  Storage* storage = nullptr;
  std::int64_t offset = 0;               // in elements
  std::vector<std::int64_t> sizes, strides;
  bool is_parameter = false;
  std::int64_t numel() const;
};

enum class Kind {
  None, Bool, Int, Float, String, Bytes, List, Tuple, Dict, Set,
  Global,        // a reference to module.name, never resolved
  Object,        // an inert call or instance of a global we do not interpret
  PersistentId,  // what BINPERSID carried (torch.save's storage tuples)
  Persistent,    // NVlabs' persistent object: class name and the module state
  Storage, Tensor, Dtype
};
const char* kind_name(Kind k);

struct Value {
  Kind kind = Kind::None;
  bool boolean = false;
  std::int64_t integer = 0;
  double real = 0.0;
  // String and Bytes: the contents; Global: "module.name"; Object: its global's name;
  // Persistent: the class name; Dtype: numpy's descr such as "<f4".
  std::string text;
  std::vector<Value*> items;                       // List, Tuple, Set, PersistentId
  std::vector<std::pair<Value*, Value*>> entries;  // Dict, and items an Object received
  std::vector<Value*> appended;                    // items an Object received through APPEND(S)
  Value* state = nullptr;                          // Object: BUILD state; Persistent: module state
  Value* args = nullptr;                           // Object: the argument tuple of its call
  Storage* storage = nullptr;                      // Storage
  TensorView tensor;                               // Tensor
  bool pending_array = false;                      // numpy array waiting for its BUILD

  bool is(Kind k) const { return kind == k; }
  // Dict lookup by string key; null when absent or not a dict.
  const Value* get(std::string_view key) const;
};

// Owns every value and storage of one file, and holds the budgets that keep a small hostile
// file from asking for unbounded memory: values made, references copied from one container into
// another, and bytes of storage (each throws lw::Error when spent).
class Document {
 public:
  Value& make(Kind k);
  Value& make_string(Kind k, std::string text);
  Storage& make_storage();
  std::deque<Storage>& storages() { return storages_; }
  std::size_t size() const { return values_.size(); }
  void set_limits(std::size_t values, std::size_t copied_items, std::size_t storage_bytes);
  void charge_items(std::size_t n);
  void charge_bytes(std::size_t n);
  // The storage each pickled legacy stream (its bytes value) became.
  std::unordered_map<const Value*, Value*>& stream_cache() { return streams_; }
  const Value* root = nullptr;

 private:
  std::deque<Value> values_;
  std::deque<Storage> storages_;
  std::unordered_map<const Value*, Value*> streams_;
  std::size_t max_values_ = std::size_t{1} << 21, max_items_ = std::size_t{1} << 24;
  std::size_t max_bytes_ = std::size_t{1} << 36, items_ = 0, bytes_ = 0;
};

// Checked readers for tree walking: each throws lw::Error naming `what` when the value is
// missing or of another kind.
std::int64_t as_int(const Value* v, std::string_view what);
double as_number(const Value* v, std::string_view what);
const std::string& as_string(const Value* v, std::string_view what);
const Value& as_dict(const Value* v, std::string_view what);
// Describes a value in a few words for error messages ("a dict of 3 entries", "global os.system").
std::string describe(const Value* v);

}  // namespace lw::pickle
