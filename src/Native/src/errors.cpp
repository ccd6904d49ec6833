// errors.cpp — the thread-local error text, status mapping and library-wide settings.
#include "common.h"

#include <new>

namespace {
thread_local std::string last_error;

bool mentions_out_of_memory(const std::string& text) {
    return text.find("out of memory") != std::string::npos ||
           text.find("DefaultCPUAllocator: can't allocate memory") != std::string::npos ||
           text.find("DefaultCPUAllocator: not enough memory") != std::string::npos;
}
}  // namespace

namespace dml {

dml_status fail(dml_status status, const std::string& message) {
    try {
        last_error = message;
    } catch (...) {
        // Storing the text itself ran out of memory: keep the status, drop the text.
    }
    return status;
}

dml_status fail_current_exception() {
    try {
        throw;
    } catch (const InvalidArgument& e) {
        return fail(DML_ERR_INVALID_ARGUMENT, e.what());
    } catch (const c10::Error& e) {
        // what_without_backtrace keeps libtorch's message and drops its C++ stack trace.
        std::string text = e.what_without_backtrace();
        return fail(mentions_out_of_memory(text) ? DML_ERR_OUT_OF_MEMORY : DML_ERR_TORCH, text);
    } catch (const std::bad_alloc&) {
        return fail(DML_ERR_OUT_OF_MEMORY, "out of memory (std::bad_alloc)");
    } catch (const std::exception& e) {
        return fail(DML_ERR_UNKNOWN, e.what());
    } catch (...) {
        return fail(DML_ERR_UNKNOWN, "unknown native exception");
    }
}

}  // namespace dml

extern "C" {

DML_API const char* dml_last_error(void) { return last_error.c_str(); }

DML_API dml_status dml_abi_version(int32_t* version) {
    DML_GUARD_BEGIN
    dml::require(version != nullptr, "version is NULL");
    *version = DML_ABI_VERSION;
    DML_GUARD_END
}

DML_API dml_status dml_torch_version(const char** version) {
    DML_GUARD_BEGIN
    dml::require(version != nullptr, "version is NULL");
    static const std::string text = std::to_string(TORCH_VERSION_MAJOR) + "." +
                                    std::to_string(TORCH_VERSION_MINOR) + "." +
                                    std::to_string(TORCH_VERSION_PATCH);
    *version = text.c_str();
    DML_GUARD_END
}

DML_API dml_status dml_threads_set(int32_t count) {
    DML_GUARD_BEGIN
    dml::require(count > 0, "thread count must be positive, got " + std::to_string(count));
    at::set_num_threads(count);
    DML_GUARD_END
}

DML_API dml_status dml_threads_get(int32_t* count) {
    DML_GUARD_BEGIN
    dml::require(count != nullptr, "count is NULL");
    *count = at::get_num_threads();
    DML_GUARD_END
}

DML_API dml_status dml_cuda_device_count(int32_t* count) {
    DML_GUARD_BEGIN
    dml::require(count != nullptr, "count is NULL");
    *count = torch::cuda::is_available() ? static_cast<int32_t>(torch::cuda::device_count()) : 0;
    DML_GUARD_END
}

}  // extern "C"
