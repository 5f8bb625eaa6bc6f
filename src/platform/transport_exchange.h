// The byte format of link set-up messages: what one side of a link sends the other (its buffers
// and notifies). Fixed-width fields in host byte order (both sides run on one host) in a
// std::vector<u8>; a reader never reads past the end, it reports failure instead.
#pragma once

#include <cstring>
#include <type_traits>
#include <vector>

#include "base.h"
#include "transport_pub.h"

namespace hcclcpu::platform {

class ByteWriter {
  public:
    explicit ByteWriter(std::vector<u8> &out) : out_(out) {}

    template <typename T>
    void put(const T &value) {
        static_assert(std::is_trivially_copyable_v<T>);
        const size_t at = out_.size();
        out_.resize(at + sizeof(T));
        std::memcpy(out_.data() + at, &value, sizeof(T));
    }
    // A length-prefixed byte string.
    void putBytes(const std::vector<u8> &bytes) {
        put(static_cast<u32>(bytes.size()));
        const size_t at = out_.size();
        out_.resize(at + bytes.size());
        if (!bytes.empty()) std::memcpy(out_.data() + at, bytes.data(), bytes.size());
    }

  private:
    std::vector<u8> &out_;
};

class ByteReader {
  public:
    explicit ByteReader(const std::vector<u8> &in) : in_(in) {}

    template <typename T>
    bool get(T &value) {
        static_assert(std::is_trivially_copyable_v<T>);
        if (in_.size() - pos_ < sizeof(T)) return false;
        std::memcpy(&value, in_.data() + pos_, sizeof(T));
        pos_ += sizeof(T);
        return true;
    }
    bool getBytes(std::vector<u8> &bytes) {
        u32 length = 0;
        if (!get(length) || in_.size() - pos_ < length) return false;
        bytes.assign(in_.begin() + static_cast<std::ptrdiff_t>(pos_),
                     in_.begin() + static_cast<std::ptrdiff_t>(pos_ + length));
        pos_ += length;
        return true;
    }
    bool atEnd() const { return pos_ == in_.size(); }

  private:
    const std::vector<u8> &in_;
    size_t pos_ = 0;
};

}  // namespace hcclcpu::platform
