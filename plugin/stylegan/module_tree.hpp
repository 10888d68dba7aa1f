// A network file's module as plain data: the class name, the plain attributes, the tensors
// (parameters and buffers) and the child modules, read from NVlabs' persistent objects (or built
// from a rosinality state dict) without running any of the file's code. Every accessor names the
// module path and the field when something is missing or of the wrong kind.
#pragma once

#include <ATen/core/Tensor.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lw::pickle {
struct Value;
}

namespace lw::plugin::stylegan {

struct Attribute {
  enum class Type { None, Bool, Number, String, Numbers, Strings, Other } type = Type::None;
  double number = 0.0;
  std::string text;              // String, or Other: a description of what the file holds
  std::vector<double> numbers;   // a list, tuple or numpy array of numbers
  std::vector<std::string> strings;
};

class ModuleNode {
 public:
  std::string path;        // "synthesis.b8.conv0"; "" for the root
  std::string class_name;  // "training.networks_stylegan2.SynthesisLayer"
  std::map<std::string, Attribute> attributes;
  std::map<std::string, at::Tensor> tensors;  // float32, contiguous; a None buffer is absent
  std::vector<std::pair<std::string, std::unique_ptr<ModuleNode>>> children;

  bool has_child(const std::string& name) const;
  const ModuleNode& child(const std::string& name) const;
  bool has_tensor(const std::string& name) const { return tensors.count(name) > 0; }
  const at::Tensor& tensor(const std::string& name) const;
  // A tensor of the given shape (-1: any size in that dimension).
  const at::Tensor& tensor(const std::string& name, const std::vector<std::int64_t>& shape) const;
  bool has(const std::string& attribute) const;
  bool is_none(const std::string& attribute) const;
  double number(const std::string& attribute) const;
  int integer(const std::string& attribute) const;
  bool flag(const std::string& attribute) const;
  const std::string& string(const std::string& attribute) const;
  const std::vector<double>& numbers(const std::string& attribute) const;
  const std::vector<std::string>& strings(const std::string& attribute) const;
  // The short class name ("SynthesisLayer").
  std::string kind() const;

 private:
  const Attribute& attribute(const std::string& name, Attribute::Type type, const char* wanted) const;
};

// The module tree under a persistent object (or any object whose state is a torch module's
// __dict__). An attribute that is an object of a class the reader does not interpret is an
// error naming that class: the network depends on it and it was not read.
std::unique_ptr<ModuleNode> module_tree(const pickle::Value& module, const std::string& path);

// Whether a value is a torch module (a persistent object or an object with a module's state).
bool is_module(const pickle::Value& v);

// A tensor of the file as a float32 at::Tensor of its own (copied, never aliasing the file).
at::Tensor to_tensor(const pickle::Value& v, const std::string& what);

}  // namespace lw::plugin::stylegan
