// common.h — what every area of the shim shares: the handle structs and the error guard.
#pragma once

#include <torch/torch.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "digitsml.h"

namespace dml {

// Stores text in the thread-local error buffer and returns the status unchanged.
dml_status fail(dml_status status, const std::string& message);
// Maps the exception in flight to a status and stores its message.
dml_status fail_current_exception();

// Raised by the shim itself for bad arguments; becomes DML_ERR_INVALID_ARGUMENT.
struct InvalidArgument : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline void require(bool condition, const std::string& message) {
    if (!condition) throw InvalidArgument(message);
}

// A module list with each layer's own name ("0", "1", ...) as in PyTorch's nn.Sequential,
// so that weights saved from an equivalent PyTorch Sequential load by name.
struct Network {
    torch::nn::Sequential body;
    torch::Device device{torch::kCPU};
    int64_t in_channels = 0, in_height = 0, in_width = 0;
    int64_t classes = 0;
    std::vector<std::string> state_names;
    std::vector<torch::Tensor> state;  // parameters, then buffers; shares storage with body
    int32_t parameter_tensors = 0;
    // network.cpp's DropoutStream (type-erased to keep it private there), for the dropout position exports.
    std::shared_ptr<void> dropout;
    // Whether the modules are in training mode. Forward passes only switch to eval when needed,
    // so concurrent forward passes on an evaluated network never write module state.
    std::atomic<bool> training{true};

    void set_training(bool on) {
        if (training.load() != on) {
            body->train(on);
            training.store(on);
        }
    }

    // x: (n, C*H*W floats) -> (n, C, H, W) on the network's device; borrows x on the CPU.
    torch::Tensor input(const float* x, int64_t n) const;
};

// The optimizer behind a handle: libtorch's own where the C++ frontend has one.
struct Optimizer {
    virtual ~Optimizer() = default;
    virtual void zero_grad() = 0;
    virtual void step() = 0;
    virtual void set_lr(double lr) = 0;

    // The state as float32 tensors in a fixed order, for checkpoints: names "<parameter index>.<field>" and shapes
    // are fixed at creation. Reading before the first step gives zeros; writing creates the state.
    std::vector<std::string> state_names;
    std::vector<std::vector<int64_t>> state_shapes;
    virtual void state_read(size_t index, float* dst) = 0;
    virtual void state_write(size_t index, const float* src) = 0;
};

}  // namespace dml

struct dml_network {
    dml::Network impl;
};

struct dml_optimizer {
    std::unique_ptr<dml::Optimizer> impl;
};

// Wraps an export's body: anything thrown becomes a status and a message, never a crash.
#define DML_GUARD_BEGIN try {
#define DML_GUARD_END            \
    return DML_OK;               \
    }                            \
    catch (...) {                \
        return dml::fail_current_exception(); \
    }
