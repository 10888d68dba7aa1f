// Fields of one JSON object read strictly: a field of the wrong type, an integer out of its
// type's range, or a field nobody asked for (a typo) is an lw::Error naming the file and the
// field. nlohmann's own conversions cast whatever number they find (1e30 into an int is
// undefined behaviour), so numbers are checked here before they are converted.
#pragma once

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "core/base/check.hpp"

namespace lw {

namespace json_detail {
template <typename T>
struct is_vector : std::false_type {};
template <typename T>
struct is_vector<std::vector<T>> : std::true_type {};

// Whether `v` converts to T without loss of range: integers must be JSON integers that fit,
// floats any finite number that fits.
template <typename T>
bool fits(const nlohmann::json& v) {
  if constexpr (std::is_same_v<T, bool>) {
    return v.is_boolean();
  } else if constexpr (std::is_integral_v<T>) {
    if (v.is_number_unsigned()) return v.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<T>::max());
    if (!v.is_number_integer()) return false;
    const auto i = v.get<std::int64_t>();
    return i >= static_cast<std::int64_t>(std::numeric_limits<T>::lowest()) &&
           static_cast<std::uint64_t>(std::max<std::int64_t>(i, 0)) <= static_cast<std::uint64_t>(std::numeric_limits<T>::max());
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!v.is_number()) return false;
    const double d = v.get<double>();
    return std::isfinite(d) && std::abs(d) <= static_cast<double>(std::numeric_limits<T>::max());
  } else if constexpr (is_vector<T>::value) {
    if (!v.is_array()) return false;
    for (const auto& e : v)
      if (!fits<typename T::value_type>(e)) return false;
    return true;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return v.is_string();
  } else {
    return true;  // json itself
  }
}
}  // namespace json_detail

class JsonFields {
 public:
  JsonFields(const nlohmann::json& j, std::string where) : j_(j), where_(std::move(where)) {
    LW_EXPECT(j.is_object(), where_ << " must be a JSON object");
  }

  template <typename T>
  std::optional<T> get(const std::string& name) {
    known_.insert(name);
    const auto it = j_.find(name);
    if (it == j_.end()) return std::nullopt;
    LW_EXPECT(json_detail::fits<T>(*it), where_ << ": field \"" << name << "\" has the wrong type or is out of range ("
                                                << it->type_name() << ")");
    return it->get<T>();
  }
  template <typename T>
  T require(const std::string& name) {
    auto v = get<T>(name);
    LW_EXPECT(v.has_value(), where_ << ": field \"" << name << "\" is missing");
    return *v;
  }
  const nlohmann::json& raw(const std::string& name) {
    known_.insert(name);
    const auto it = j_.find(name);
    LW_EXPECT(it != j_.end(), where_ << ": field \"" << name << "\" is missing");
    return *it;
  }
  // Call after reading: any field not asked for is an error (a typo must not be ignored).
  void no_others() const {
    for (const auto& [key, value] : j_.items())
      LW_EXPECT(known_.count(key), where_ << ": unknown field \"" << key << "\"");
  }
  const std::string& where() const { return where_; }

 private:
  const nlohmann::json& j_;
  std::string where_;
  std::set<std::string> known_;
};

}  // namespace lw
