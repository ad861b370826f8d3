// SPDX-License-Identifier: MIT
#include "engine/CaseInput.hpp"

#include <functional>
#include <mutex>
#include <ostream>
#include <stdexcept>
#include <unordered_set>

namespace kinmatch {

namespace {

struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
};

// The process-wide pool behind InternedString. It is created on first use and deliberately
// never destroyed, so that an InternedString held by any static object stays valid until
// the very end of the process. Nodes of an unordered_set never move, so the pointers handed
// out stay valid while it grows.
class Pool {
  public:
    const std::string* intern(std::string_view text) {
        const std::lock_guard lock(mutex_);
        if (const auto it = texts_.find(text); it != texts_.end()) return &*it;
        return &*texts_.emplace(text).first;
    }

  private:
    std::mutex mutex_;
    std::unordered_set<std::string, TextHash, std::equal_to<>> texts_;
};

Pool& pool() {
    static Pool* const instance = new Pool;
    return *instance;
}

const std::string* emptyText() {
    static const std::string* const text = pool().intern({});
    return text;
}

}  // namespace

InternedString::InternedString() noexcept : text_(emptyText()) {}

InternedString::InternedString(std::string_view text) : text_(text.empty() ? emptyText() : pool().intern(text)) {}

std::ostream& operator<<(std::ostream& out, const InternedString& text) { return out << text.str(); }

AlleleLabels::AlleleLabels(std::initializer_list<InternedString> labels) {
    for (const InternedString& label : labels) push_back(label);
}

void AlleleLabels::push_back(const InternedString& label) {
    const std::size_t n = size();
    if (n == kCapacity)
        throw std::length_error("a marker call holds at most 2 allele labels (a single-source profile)");
    labels_[n] = label;
}

bool operator==(const AlleleLabels& a, const std::vector<std::string>& b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < b.size(); ++i)
        if (a[i] != b[i]) return false;
    return true;
}

}  // namespace kinmatch
