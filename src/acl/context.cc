// Contexts. On the emulated device a context is nothing more than a device binding: creating or
// setting one binds the calling thread to its device (rt::setDevice), and streams still belong to
// the device, not to the context. Each device also has a default context, the one aclrtSetDevice
// makes current.
//
// Device references: aclrtCreateContext takes one, and aclrtSetCurrentContext takes one more on a
// thread that was not bound to the context's device. aclrtDestroyContext gives back every
// reference its context took. Setting a device's default context is an aclrtSetDevice.
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "acl/acl.h"
#include "acl/context.h"
#include "acl/error.h"
#include "runtime/runtime.h"

namespace rt = hcclcpu::rt;
using hcclcpu::acl::fromRt;
using hcclcpu::acl::reject;

namespace {

struct Context {
    int32_t device = -1;
    uint64_t serial = 0;     // tells a live context from a freed one at the same address
    int64_t references = 0;  // device references taken on its behalf
};

constexpr int32_t kMaxDevices = 64;  // rt::deviceCount() never exceeds it

std::mutex g_mutex;
std::unordered_map<void *, std::unique_ptr<Context>> g_contexts;  // user-created
Context g_defaultContexts[kMaxDevices];
uint64_t g_nextSerial = 1;

struct CurrentContext {
    void *handle = nullptr;
    uint64_t serial = 0;
};
thread_local CurrentContext t_current;

bool isDefaultContext(void *handle) {
    auto *p = static_cast<Context *>(handle);
    std::less<const Context *> before;  // a total order even for unrelated pointers
    return !before(p, g_defaultContexts) && before(p, g_defaultContexts + kMaxDevices);
}

Context *defaultContext(int32_t device) {
    Context *context = &g_defaultContexts[device];
    context->device = device;  // written under g_mutex; always the same value
    return context;
}

// The context behind `handle`, or nullptr if it is neither a live user context nor the default
// context of an existing device. Caller holds g_mutex.
Context *findLocked(void *handle) {
    auto it = g_contexts.find(handle);
    if (it != g_contexts.end()) return it->second.get();
    if (!isDefaultContext(handle)) return nullptr;
    auto index = static_cast<Context *>(handle) - g_defaultContexts;
    if (index >= static_cast<int64_t>(rt::deviceCount())) return nullptr;
    return defaultContext(static_cast<int32_t>(index));
}

bool threadBoundTo(int32_t device) {
    int32_t current = -1;
    return rt::currentDevice(&current) == rt::Err::kOk && current == device;
}

}  // namespace

namespace hcclcpu::acl {

void useDefaultContextOnThisThread() {
    t_current = CurrentContext{};
}

}  // namespace hcclcpu::acl

extern "C" {

aclError aclrtCreateContext(aclrtContext *context, int32_t deviceId) {
    if (context == nullptr)
        return reject(ACL_ERROR_INVALID_PARAM, "aclrtCreateContext: null context");
    aclError ret = fromRt(rt::setDevice(deviceId), "aclrtCreateContext");
    if (ret != ACL_SUCCESS) return ret;
    auto created = std::make_unique<Context>();
    created->device = deviceId;
    created->references = 1;
    void *handle = created.get();
    {
        std::lock_guard lock(g_mutex);
        created->serial = g_nextSerial++;
        t_current = CurrentContext{handle, created->serial};
        g_contexts.emplace(handle, std::move(created));
    }
    *context = handle;
    return ACL_SUCCESS;
}

aclError aclrtDestroyContext(aclrtContext context) {
    if (context == nullptr)
        return reject(ACL_ERROR_INVALID_PARAM, "aclrtDestroyContext: null context");
    std::unique_ptr<Context> destroyed;
    {
        std::lock_guard lock(g_mutex);
        auto it = g_contexts.find(context);
        if (it == g_contexts.end())
            return reject(ACL_ERROR_RT_INVALID_HANDLE,
                          "aclrtDestroyContext: {} is not a context created by aclrtCreateContext",
                          context);
        destroyed = std::move(it->second);
        g_contexts.erase(it);
    }
    if (t_current.handle == context) t_current = CurrentContext{};
    aclError ret = ACL_SUCCESS;
    for (int64_t i = 0; i < destroyed->references; ++i) {
        aclError r = fromRt(rt::resetDevice(destroyed->device), "aclrtDestroyContext");
        if (ret == ACL_SUCCESS) ret = r;
    }
    return ret;
}

aclError aclrtSetCurrentContext(aclrtContext context) {
    if (context == nullptr)
        return reject(ACL_ERROR_INVALID_PARAM, "aclrtSetCurrentContext: null context");
    std::lock_guard lock(g_mutex);
    Context *target = findLocked(context);
    if (target == nullptr)
        return reject(ACL_ERROR_RT_INVALID_HANDLE, "aclrtSetCurrentContext: {} is not a context",
                      context);
    if (!threadBoundTo(target->device)) {
        aclError ret = fromRt(rt::setDevice(target->device), "aclrtSetCurrentContext");
        if (ret != ACL_SUCCESS) return ret;
        if (!isDefaultContext(context)) ++target->references;
    }
    t_current = CurrentContext{context, target->serial};
    return ACL_SUCCESS;
}

aclError aclrtGetCurrentContext(aclrtContext *context) {
    if (context == nullptr)
        return reject(ACL_ERROR_INVALID_PARAM, "aclrtGetCurrentContext: null context");
    int32_t device = -1;
    aclError ret = fromRt(rt::currentDevice(&device), "aclrtGetCurrentContext");
    if (ret != ACL_SUCCESS) return ret;
    std::lock_guard lock(g_mutex);
    auto it = g_contexts.find(t_current.handle);
    if (it != g_contexts.end() && it->second->serial == t_current.serial &&
        it->second->device == device) {
        *context = t_current.handle;
    } else {
        *context = defaultContext(device);
    }
    return ACL_SUCCESS;
}

}  // extern "C"
