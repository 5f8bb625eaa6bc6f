// libhccl.so always has at least this translation unit, so the library target is valid while the
// platform sources are added by src/platform/CMakeLists.txt.
namespace hcclcpu::platform {
int linkAnchor = 0;
}
