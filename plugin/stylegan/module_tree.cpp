#include "plugin/stylegan/module_tree.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include <unordered_set>

#include "core/base/check.hpp"
#include "core/base/pickle_value.hpp"

namespace lw::plugin::stylegan {
namespace {

using pickle::Kind;
using pickle::Value;

constexpr int kMaxModuleDepth = 32;
constexpr int kMaxValueDepth = 64;
// A StyleGAN3-R at 1024 px has about 60 modules; shared children could otherwise make a small
// hostile file describe an exponential tree.
constexpr int kMaxModules = 20000;

const Value* module_state(const Value& v) {
  if (!(v.is(Kind::Persistent) || v.is(Kind::Object)) || v.state == nullptr || !v.state->is(Kind::Dict)) return nullptr;
  return v.state;
}

// The first object of an uninterpreted class inside a plain value, if any. Each value is looked
// at once, so shared references cannot make the walk exponential.
const Value* foreign_object(const Value* v, int depth, std::unordered_set<const Value*>& seen) {
  if (v == nullptr || !seen.insert(v).second) return nullptr;
  LW_EXPECT(depth < kMaxValueDepth, "network file: a value nested more than " << kMaxValueDepth << " deep");
  switch (v->kind) {
    case Kind::Object: case Kind::Global: case Kind::PersistentId: return v;
    case Kind::List: case Kind::Tuple: case Kind::Set:
      for (const Value* x : v->items)
        if (const Value* f = foreign_object(x, depth + 1, seen)) return f;
      return nullptr;
    case Kind::Dict:
      for (const auto& [k, x] : v->entries)
        if (const Value* f = foreign_object(x, depth + 1, seen)) return f;
      return nullptr;
    default: return nullptr;
  }
}

Attribute numbers_of(const std::vector<Value*>& items) {
  if (items.size() > 4096) return Attribute{Attribute::Type::Other, 0.0, "a list of " + std::to_string(items.size()) + " items", {}, {}};
  Attribute a;
  a.type = Attribute::Type::Numbers;
  for (const Value* x : items) {
    if (x->is(Kind::Int) || x->is(Kind::Float) || x->is(Kind::Bool)) {
      a.numbers.push_back(pickle::as_number(x, "a number"));
    } else if (x->is(Kind::String) && a.numbers.empty()) {
      a.type = Attribute::Type::Strings;
      a.strings.push_back(x->text);
    } else if (x->is(Kind::String) && a.type == Attribute::Type::Strings) {
      a.strings.push_back(x->text);
    } else {
      return Attribute{Attribute::Type::Other, 0.0, pickle::describe(x), {}, {}};
    }
  }
  if (a.type == Attribute::Type::Strings && a.strings.size() != items.size())
    return Attribute{Attribute::Type::Other, 0.0, "a mixed list", {}, {}};
  return a;
}

Attribute attribute_of(const Value& v, const std::string& where) {
  std::unordered_set<const Value*> seen;
  if (const Value* foreign = foreign_object(&v, 0, seen))
    LW_FAIL(where << " is " << pickle::describe(foreign)
                  << ", a class latentwalk does not read; the generator depends on it, so it cannot be imported");
  Attribute a;
  switch (v.kind) {
    case Kind::None: return a;
    case Kind::Bool: a.type = Attribute::Type::Bool; a.number = v.boolean ? 1 : 0; return a;
    case Kind::Int: case Kind::Float: a.type = Attribute::Type::Number; a.number = pickle::as_number(&v, where); return a;
    case Kind::String: a.type = Attribute::Type::String; a.text = v.text; return a;
    case Kind::List: case Kind::Tuple: return numbers_of(v.items);
    case Kind::Tensor: {
      LW_EXPECT(v.tensor.numel() <= 4096, where << " is an array of " << v.tensor.numel() << " elements");
      const at::Tensor t = to_tensor(v, where).to(at::kDouble).flatten();
      a.type = Attribute::Type::Numbers;
      a.numbers.assign(t.data_ptr<double>(), t.data_ptr<double>() + t.numel());
      return a;
    }
    default: a.type = Attribute::Type::Other; a.text = pickle::describe(&v); return a;
  }
}

void read_tensors(ModuleNode& node, const Value* dict, const char* what) {
  if (dict == nullptr || dict->is(Kind::None)) return;
  const Value& d = pickle::as_dict(dict, node.path + " " + what);
  for (const auto& [k, v] : d.entries) {
    const std::string& name = pickle::as_string(k, node.path + " " + what + " name");
    if (v->is(Kind::None)) continue;  // NVlabs registers absent filters as None buffers
    node.tensors[name] = to_tensor(*v, node.path.empty() ? name : node.path + "." + name);
  }
}

struct Walk {
  int modules = 0;
  std::unordered_set<const Value*> seen;  // a torch module is never its own descendant or shared
};

std::unique_ptr<ModuleNode> build(const Value& v, const std::string& path, int depth, Walk& walk) {
  LW_EXPECT(depth < kMaxModuleDepth, "network file: modules nested more than " << kMaxModuleDepth << " deep");
  LW_EXPECT(++walk.modules <= kMaxModules, "network file: more than " << kMaxModules << " modules");
  LW_EXPECT(walk.seen.insert(&v).second, "network file: the module at " << path << " appears twice in the network");
  const Value* state = module_state(v);
  LW_EXPECT(state != nullptr, "network file: " << (path.empty() ? "the network" : path) << " is "
                                                 << pickle::describe(&v) << ", not a torch module");
  auto node = std::make_unique<ModuleNode>();
  node->path = path;
  node->class_name = v.text;
  for (const auto& [k, value] : state->entries) {
    const std::string& key = pickle::as_string(k, path + " attribute name");
    if (key == "_parameters") read_tensors(*node, value, "parameters");
    else if (key == "_buffers") read_tensors(*node, value, "buffers");
    else if (key == "_modules") {
      for (const auto& [ck, child] : pickle::as_dict(value, path + " modules").entries) {
        const std::string& name = pickle::as_string(ck, path + " module name");
        if (child->is(Kind::None)) continue;
        auto built = build(*child, path.empty() ? name : path + "." + name, depth + 1, walk);
        auto same = std::find_if(node->children.begin(), node->children.end(), [&](const auto& c) { return c.first == name; });
        if (same != node->children.end()) same->second = std::move(built);  // a key set twice: the last wins
        else node->children.emplace_back(name, std::move(built));
      }
    } else if (key.empty() || key[0] != '_') {
      // Hooks, construction arguments and other torch bookkeeping start with '_'.
      node->attributes[key] = attribute_of(*value, (path.empty() ? "" : path + ".") + key);
    }
  }
  return node;
}

}  // namespace

bool is_module(const Value& v) {
  const Value* state = module_state(v);
  return state != nullptr && (state->get("_modules") != nullptr || state->get("_parameters") != nullptr);
}

std::unique_ptr<ModuleNode> module_tree(const Value& module, const std::string& path) {
  Walk walk;
  return build(module, path, 0, walk);
}

at::Tensor to_tensor(const Value& v, const std::string& what) {
  LW_EXPECT(v.is(Kind::Tensor) && !v.pending_array, what << " should be a tensor, not " << pickle::describe(&v));
  const pickle::TensorView& t = v.tensor;
  LW_EXPECT(t.storage->loaded, what << ": its storage '" << t.storage->key << "' was never found in the file");
  static const std::pair<pickle::DType, at::ScalarType> kTypes[] = {
      {pickle::DType::F32, at::kFloat}, {pickle::DType::F64, at::kDouble}, {pickle::DType::F16, at::kHalf},
      {pickle::DType::BF16, at::kBFloat16}, {pickle::DType::I64, at::kLong}, {pickle::DType::I32, at::kInt},
      {pickle::DType::I16, at::kShort}, {pickle::DType::I8, at::kChar}, {pickle::DType::U8, at::kByte},
      {pickle::DType::Bool, at::kBool}};
  at::ScalarType type = at::kFloat;
  for (const auto& [d, s] : kTypes)
    if (d == t.storage->dtype) type = s;
  if (t.numel() == 0) return torch::zeros(t.sizes, torch::kFloat);
  auto* base = const_cast<char*>(t.storage->bytes.data()) + t.offset * pickle::element_size(t.storage->dtype);
  const at::Tensor view = torch::from_blob(base, t.sizes, t.strides, torch::TensorOptions().dtype(type));
  return view.to(torch::kFloat).contiguous().clone();
}

bool ModuleNode::has_child(const std::string& name) const {
  for (const auto& [n, c] : children)
    if (n == name) return true;
  return false;
}

const ModuleNode& ModuleNode::child(const std::string& name) const {
  for (const auto& [n, c] : children)
    if (n == name) return *c;
  LW_FAIL("network file: " << (path.empty() ? "the network" : path) << " has no module '" << name << "'");
}

const at::Tensor& ModuleNode::tensor(const std::string& name) const {
  auto it = tensors.find(name);
  LW_EXPECT(it != tensors.end(), "network file: " << (path.empty() ? "the network" : path) << " has no tensor '" << name << "'");
  return it->second;
}

const at::Tensor& ModuleNode::tensor(const std::string& name, const std::vector<std::int64_t>& shape) const {
  const at::Tensor& t = tensor(name);
  bool ok = t.dim() == static_cast<std::int64_t>(shape.size());
  for (std::size_t i = 0; ok && i < shape.size(); ++i) ok = shape[i] < 0 || t.size(static_cast<std::int64_t>(i)) == shape[i];
  LW_EXPECT(ok, "network file: " << path << "." << name << " has shape " << t.sizes() << ", expected "
                                 << at::IntArrayRef(shape) << " (-1: any)");
  return t;
}

bool ModuleNode::has(const std::string& name) const { return attributes.count(name) > 0; }

bool ModuleNode::is_none(const std::string& name) const {
  auto it = attributes.find(name);
  return it == attributes.end() || it->second.type == Attribute::Type::None;
}

const Attribute& ModuleNode::attribute(const std::string& name, Attribute::Type type, const char* wanted) const {
  auto it = attributes.find(name);
  const std::string where = path.empty() ? name : path + "." + name;
  LW_EXPECT(it != attributes.end(), "network file: " << where << " is missing");
  LW_EXPECT(it->second.type == type || (type == Attribute::Type::Number && it->second.type == Attribute::Type::Bool),
            "network file: " << where << " should be " << wanted
                             << (it->second.type == Attribute::Type::Other ? ", not " + it->second.text : std::string()));
  return it->second;
}

double ModuleNode::number(const std::string& name) const { return attribute(name, Attribute::Type::Number, "a number").number; }

int ModuleNode::integer(const std::string& name) const {
  const double v = number(name);
  LW_EXPECT(std::isfinite(v) && std::abs(v) <= 1e6 && v == std::floor(v),
            "network file: " << path << "." << name << " should be an integer of at most a million, not " << v);
  return static_cast<int>(v);
}

bool ModuleNode::flag(const std::string& name) const { return attribute(name, Attribute::Type::Number, "a bool").number != 0; }

const std::string& ModuleNode::string(const std::string& name) const { return attribute(name, Attribute::Type::String, "a string").text; }

const std::vector<double>& ModuleNode::numbers(const std::string& name) const {
  return attribute(name, Attribute::Type::Numbers, "a list of numbers").numbers;
}

const std::vector<std::string>& ModuleNode::strings(const std::string& name) const {
  return attribute(name, Attribute::Type::Strings, "a list of names").strings;
}

std::string ModuleNode::kind() const {
  const auto dot = class_name.rfind('.');
  return dot == std::string::npos ? class_name : class_name.substr(dot + 1);
}

}  // namespace lw::plugin::stylegan
