// The allow-list: the few globals the pickle reader interprets (tensor, parameter and storage
// rebuilding, ordered dicts, sets, NVlabs' persistent objects, numpy scalars, dtypes and
// arrays, dict-like option classes). Any other call stays an inert Object. Internal to
// pickle_reader.cpp.
#pragma once

#include <string>
#include <unordered_map>

#include "core/base/pickle_reader.hpp"

namespace lw::pickle::detail {

struct Context {
  Document& doc;
  const ReadOptions& options;
  int nesting = 0;
  // Storages named by persistent ids in this stream, by key (one object per key).
  std::unordered_map<std::string, Storage*> storages_by_key;
};

// REDUCE: callable(*args).
Value* call_global(Context& ctx, Value& callable, Value& args);
// NEWOBJ: cls.__new__(cls, *args).
Value* new_object(Context& ctx, Value& cls, Value& args);
// BUILD: obj.__setstate__(state).
void build(Context& ctx, Value& obj, Value* state);
// BINPERSID / PERSID: torch.save's ('storage', type, key, location, numel[, view]).
Value* persistent_load(Context& ctx, Value& pid);

}  // namespace lw::pickle::detail
