// Little-endian encoding of the messages ranks exchange (root info, hello, rank table, ...).
//
// The reader never reads past its input: a short or inconsistent message makes ok() false and
// every later read returns zeros, so a parser checks ok() once at the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace hcclcpu::framework {

class WireWriter {
  public:
    void u8(uint8_t v) { bytes_.push_back(v); }
    void u16(uint16_t v) { integer(v, 2); }
    void u32(uint32_t v) { integer(v, 4); }
    void u64(uint64_t v) { integer(v, 8); }
    void raw(const void *data, size_t size) {
        const auto *p = static_cast<const uint8_t *>(data);
        bytes_.insert(bytes_.end(), p, p + size);
    }
    // u32 length, then the bytes.
    void string(std::string_view text) {
        u32(static_cast<uint32_t>(text.size()));
        raw(text.data(), text.size());
    }
    std::vector<uint8_t> &bytes() { return bytes_; }

  private:
    void integer(uint64_t v, int size) {
        for (int i = 0; i < size; ++i)
            bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
    }
    std::vector<uint8_t> bytes_;
};

class WireReader {
  public:
    WireReader(const void *data, size_t size)
        : p_(static_cast<const uint8_t *>(data)), left_(size), size_(size) {}
    uint8_t u8() { return static_cast<uint8_t>(integer(1)); }
    uint16_t u16() { return static_cast<uint16_t>(integer(2)); }
    uint32_t u32() { return static_cast<uint32_t>(integer(4)); }
    uint64_t u64() { return integer(8); }
    void raw(void *out, size_t size) {
        if (!take(size)) {
            std::memset(out, 0, size);
            return;
        }
        std::memcpy(out, p_ - size, size);
    }
    // A string written by WireWriter::string; longer than maxLength makes the reader fail.
    std::string string(size_t maxLength) {
        uint32_t size = u32();
        if (size > maxLength || !take(size)) {
            ok_ = false;
            return {};
        }
        return std::string(reinterpret_cast<const char *>(p_ - size), size);
    }
    bool ok() const { return ok_; }
    // Everything was consumed and nothing failed.
    bool finished() const { return ok_ && left_ == 0; }
    size_t consumed() const { return size_ - left_; }

  private:
    bool take(size_t size) {
        if (!ok_ || size > left_) {
            ok_ = false;
            return false;
        }
        p_ += size;
        left_ -= size;
        return true;
    }
    uint64_t integer(int size) {
        if (!take(static_cast<size_t>(size))) return 0;
        uint64_t v = 0;
        for (int i = 0; i < size; ++i)
            v |= static_cast<uint64_t>(p_[i - size]) << (8 * i);
        return v;
    }
    const uint8_t *p_;
    size_t left_;
    size_t size_;
    bool ok_ = true;
};

}  // namespace hcclcpu::framework
