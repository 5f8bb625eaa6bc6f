// No exception crosses the C API: every entry point runs its body through guarded().
#pragma once

#include <exception>
#include <new>
#include <utility>

#include "common/log.h"
#include "hccl/hccl_types.h"

namespace hcclcpu::framework {

template <typename Body>
HcclResult guarded(const char *api, Body &&body) {
    try {
        return std::forward<Body>(body)();
    } catch (const std::bad_alloc &) {
        HCPU_ERROR("{}: out of memory", api);
        return HCCL_E_MEMORY;
    } catch (const std::exception &e) {
        HCPU_ERROR("{}: internal error: {}", api, e.what());
        return HCCL_E_INTERNAL;
    } catch (...) {
        HCPU_ERROR("{}: internal error", api);
        return HCCL_E_INTERNAL;
    }
}

// A null pointer argument: logged as the vendor does, HCCL_E_PTR.
inline HcclResult nullArgument(const char *api, const char *name) {
    HCPU_ERROR("{}: {} is null", api, name);
    return HCCL_E_PTR;
}

}  // namespace hcclcpu::framework
