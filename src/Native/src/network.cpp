// network.cpp — builds a network from a layer list and runs it: forward, evaluation, state.
#include "common.h"

#include <ATen/Parallel.h>

#include <atomic>
#include <mutex>

namespace {

// y = (x - mean) / std: each architecture's input normalisation, part of the network.
struct NormalizeImpl : torch::nn::Module {
    double mean, std;
    NormalizeImpl(double mean_, double std_) : mean(mean_), std(std_) {}
    torch::Tensor forward(const torch::Tensor& x) { return (x - mean) / std; }
};
TORCH_MODULE(Normalize);

// The network's own random stream for dropout masks: a counter-based generator (SplitMix64 of
// key + position), so a mask is the same whatever the thread split, two networks training at once
// do not disturb each other, and drawing is several times faster than libtorch's bernoulli_ on the
// CPU (measured 1.3 ms per 64x16x12x12 mask for bernoulli_, the largest cost of SeedNet's step).
struct DropoutStream {
    uint64_t key = 0;
    std::atomic<uint64_t> position{0};
};

inline uint64_t splitmix64(uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// Fills mask with 0 (probability p) or 1 / (1 - p): each 64-bit draw decides two elements.
void fill_dropout_mask(float* mask, int64_t n, double p, DropoutStream& stream) {
    const uint64_t base = stream.position.fetch_add(static_cast<uint64_t>((n + 1) / 2));
    const uint64_t key = stream.key;
    const uint64_t keep_below = static_cast<uint64_t>((1.0 - p) * 4294967296.0);
    const float scale = static_cast<float>(1.0 / (1.0 - p));
    at::parallel_for(0, (n + 1) / 2, 8192, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
            uint64_t bits = splitmix64(key + base + static_cast<uint64_t>(i));
            mask[2 * i] = (bits & 0xffffffffULL) < keep_below ? scale : 0.0f;
            if (2 * i + 1 < n) mask[2 * i + 1] = (bits >> 32) < keep_below ? scale : 0.0f;
        }
    });
}

// Dropout (channelwise = Dropout2d) drawing its masks from the network's DropoutStream on the CPU;
// on a GPU libtorch's own generator draws them on the device.
struct SeededDropoutImpl : torch::nn::Module {
    double p;
    bool channelwise;
    std::shared_ptr<DropoutStream> stream;
    SeededDropoutImpl(double p_, bool channelwise_, std::shared_ptr<DropoutStream> stream_)
        : p(p_), channelwise(channelwise_), stream(std::move(stream_)) {}
    torch::Tensor forward(const torch::Tensor& x) {
        if (!is_training() || p == 0.0) return x;
        // x: (N, C, H, W) -> mask (N, C, 1, 1) for Dropout2d, same shape as x otherwise.
        auto mask_shape = channelwise ? std::vector<int64_t>{x.size(0), x.size(1), 1, 1} : x.sizes().vec();
        if (!x.is_cpu() || x.scalar_type() != torch::kFloat32) {
            auto mask = torch::empty(mask_shape, x.options()).bernoulli_(1.0 - p);
            return x * mask / (1.0 - p);
        }
        auto mask = torch::empty(mask_shape, x.options());
        fill_dropout_mask(mask.data_ptr<float>(), mask.numel(), p, *stream);
        return x * mask;
    }
};
TORCH_MODULE(SeededDropout);

// y = body(x) + shortcut(x), the shortcut being the identity when it has no layers. The
// sub-networks are registered as "body" and "shortcut", so state names read "3.body.0.weight".
struct ResidualImpl : torch::nn::Module {
    torch::nn::Sequential body{nullptr}, shortcut{nullptr};
    ResidualImpl(torch::nn::Sequential body_, torch::nn::Sequential shortcut_) {
        body = register_module("body", std::move(body_));
        if (!shortcut_->is_empty()) shortcut = register_module("shortcut", std::move(shortcut_));
    }
    torch::Tensor forward(const torch::Tensor& x) {
        return body->forward(x) + (shortcut ? shortcut->forward(x) : x);
    }
};
TORCH_MODULE(Residual);

// Nesting deeper than this is refused: it bounds the recursion of parse_layer.
constexpr int max_nesting = 16;

// torch::manual_seed is process-wide; creation holds this lock so that concurrent creations
// each see their own seed.
std::mutex creation_mutex;

torch::nn::AnyModule parse_layer(const dml_layer* layers, int32_t count, int32_t& index, int depth,
                                 const std::shared_ptr<DropoutStream>& dropout);

// Parses `items` consecutive layers (each possibly composite) starting at index into a Sequential.
torch::nn::Sequential parse_sequence(const dml_layer* layers, int32_t count, int32_t& index, int64_t items, int depth,
                                     const std::shared_ptr<DropoutStream>& dropout) {
    dml::require(items >= 0, "a composite layer has a negative child count");
    torch::nn::Sequential sequence;
    for (int64_t k = 0; k < items; ++k) {
        dml::require(index < count, "a composite layer claims more children than the layer list holds");
        sequence->push_back(std::to_string(k), parse_layer(layers, count, index, depth, dropout));
    }
    return sequence;
}

torch::nn::AnyModule parse_layer(const dml_layer* layers, int32_t count, int32_t& index, int depth,
                                 const std::shared_ptr<DropoutStream>& dropout) {
    using namespace torch::nn;
    const dml_layer& l = layers[index++];
    if (l.kind == DML_LAYER_RESIDUAL) {
        dml::require(depth < max_nesting, "residual layers nest deeper than " + std::to_string(max_nesting));
        auto body = parse_sequence(layers, count, index, l.children, depth + 1, dropout);
        dml::require(!body->is_empty(), "a residual layer needs at least one body layer");
        auto shortcut = parse_sequence(layers, count, index, l.i[0], depth + 1, dropout);
        return AnyModule(Residual(body, shortcut));
    }
    switch (l.kind) {
        case DML_LAYER_CONV2D:
            return AnyModule(Conv2d(Conv2dOptions(l.i[0], l.i[1], l.i[2]).stride(l.i[3]).padding(l.i[4]).bias(l.flag != 0)));
        case DML_LAYER_BATCHNORM2D:
            return AnyModule(BatchNorm2d(BatchNorm2dOptions(l.i[0]).eps(l.r[0]).momentum(l.r[1])));
        case DML_LAYER_BATCHNORM1D:
            return AnyModule(BatchNorm1d(BatchNorm1dOptions(l.i[0]).eps(l.r[0]).momentum(l.r[1])));
        case DML_LAYER_RELU: return AnyModule(ReLU());
        case DML_LAYER_LEAKYRELU: return AnyModule(LeakyReLU(LeakyReLUOptions().negative_slope(l.r[0])));
        case DML_LAYER_SIGMOID: return AnyModule(Sigmoid());
        case DML_LAYER_TANH: return AnyModule(Tanh());
        case DML_LAYER_MAXPOOL2D:
            return AnyModule(MaxPool2d(MaxPool2dOptions(l.i[0]).stride(l.i[1]).padding(l.i[2])));
        case DML_LAYER_AVGPOOL2D:
            return AnyModule(AvgPool2d(AvgPool2dOptions(l.i[0]).stride(l.i[1]).padding(l.i[2])));
        case DML_LAYER_DROPOUT: return AnyModule(SeededDropout(l.r[0], false, dropout));
        case DML_LAYER_DROPOUT2D: return AnyModule(SeededDropout(l.r[0], true, dropout));
        case DML_LAYER_FLATTEN: return AnyModule(Flatten());
        case DML_LAYER_LINEAR: return AnyModule(Linear(LinearOptions(l.i[0], l.i[1]).bias(l.flag != 0)));
        case DML_LAYER_NORMALIZE:
            dml::require(l.r[1] != 0.0, "Normalize: std must not be zero");
            return AnyModule(Normalize(l.r[0], l.r[1]));
        default:
            throw dml::InvalidArgument("unknown layer kind " + std::to_string(l.kind));
    }
}

dml::Network& checked(dml_network* net) {
    dml::require(net != nullptr, "network handle is NULL");
    return net->impl;
}

}  // namespace

namespace dml {

torch::Tensor Network::input(const float* x, int64_t n) const {
    require(x != nullptr, "input data is NULL");
    require(n > 0, "batch size must be positive, got " + std::to_string(n));
    auto t = torch::from_blob(const_cast<float*>(x), {n, in_channels, in_height, in_width}, torch::kFloat32);
    return device.is_cpu() ? t : t.to(device);
}

}  // namespace dml

extern "C" {

DML_API dml_status dml_network_create(const dml_layer* layers, int32_t count, int64_t in_channels,
                                      int64_t in_height, int64_t in_width, uint64_t seed,
                                      int32_t device_type, int32_t device_index, dml_network** out) {
    DML_GUARD_BEGIN
    dml::require(out != nullptr, "out is NULL");
    *out = nullptr;
    dml::require(layers != nullptr && count > 0, "a network needs at least one layer");
    dml::require(in_channels > 0 && in_height > 0 && in_width > 0, "input dimensions must be positive");
    dml::require(device_type == 0 || device_type == 1, "device_type must be 0 (CPU) or 1 (CUDA)");
    torch::Device device = torch::kCPU;
    if (device_type == 1) {
        int64_t available = torch::cuda::is_available() ? static_cast<int64_t>(torch::cuda::device_count()) : 0;
        if (device_index < 0 || device_index >= available)
            return dml::fail(DML_ERR_DEVICE, "CUDA device " + std::to_string(device_index) + " requested but " +
                                                 std::to_string(available) + " CUDA device(s) are available");
        device = torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(device_index));
    }

    auto net = std::make_unique<dml_network>();
    dml::Network& n = net->impl;
    n.in_channels = in_channels;
    n.in_height = in_height;
    n.in_width = in_width;
    auto dropout = std::make_shared<DropoutStream>();
    dropout->key = splitmix64(seed ^ 0x5eed5eed5eed5eedULL);
    n.dropout = dropout;
    {
        std::lock_guard<std::mutex> lock(creation_mutex);
        torch::manual_seed(seed);
        int32_t index = 0;
        for (int32_t k = 0; index < count; ++k)
            n.body->push_back(std::to_string(k), parse_layer(layers, count, index, 0, dropout));
    }
    n.body->to(device);
    n.device = device;

    for (auto& p : n.body->named_parameters()) {
        n.state_names.push_back(p.key());
        n.state.push_back(p.value());
    }
    n.parameter_tensors = static_cast<int32_t>(n.state.size());
    for (auto& b : n.body->named_buffers()) {
        // num_batches_tracked only matters when BatchNorm momentum is None, which we never use.
        if (b.key().size() >= 19 && b.key().compare(b.key().size() - 19, 19, "num_batches_tracked") == 0) continue;
        n.state_names.push_back(b.key());
        n.state.push_back(b.value());
    }

    // One dry run on a single image finds the class count and any shape libtorch rejects.
    {
        torch::NoGradGuard no_grad;
        n.set_training(false);
        auto probe = n.body->forward(torch::zeros({1, in_channels, in_height, in_width}, torch::dtype(torch::kFloat32).device(device)));
        dml::require(probe.dim() == 2, "the last layer must give (N, classes); got rank " + std::to_string(probe.dim()));
        n.classes = probe.size(1);
    }
    *out = net.release();
    DML_GUARD_END
}

DML_API void dml_network_free(dml_network* net) { delete net; }

DML_API dml_status dml_network_parameter_count(dml_network* net, int64_t* count) {
    DML_GUARD_BEGIN
    auto& n = checked(net);
    dml::require(count != nullptr, "count is NULL");
    int64_t total = 0;
    for (const auto& p : n.body->parameters()) total += p.numel();
    *count = total;
    DML_GUARD_END
}

DML_API dml_status dml_network_forward(dml_network* net, const float* x, int64_t n, int32_t output_kind, float* out,
                                       int64_t out_length) {
    DML_GUARD_BEGIN
    auto& nw = checked(net);
    dml::require(out != nullptr, "out is NULL");
    dml::require(output_kind == DML_OUTPUT_LOGITS || output_kind == DML_OUTPUT_PROBABILITIES, "unknown output kind");
    dml::require(out_length == n * nw.classes, "out holds " + std::to_string(out_length) + " floats; " +
                                                   std::to_string(n * nw.classes) + " needed");
    torch::NoGradGuard no_grad;
    nw.set_training(false);
    auto y = nw.body->forward(nw.input(x, n));  // (n, classes)
    if (output_kind == DML_OUTPUT_PROBABILITIES) y = torch::softmax(y, 1);
    auto host = y.to(torch::kCPU).contiguous();
    std::memcpy(out, host.data_ptr<float>(), sizeof(float) * static_cast<size_t>(out_length));
    DML_GUARD_END
}

DML_API dml_status dml_network_evaluate(dml_network* net, const float* x, const int64_t* labels, int64_t n,
                                        double* loss_sum, int64_t* correct, float* probabilities,
                                        int64_t probabilities_length) {
    DML_GUARD_BEGIN
    auto& nw = checked(net);
    dml::require(labels != nullptr && loss_sum != nullptr && correct != nullptr, "labels, loss_sum or correct is NULL");
    if (probabilities != nullptr)
        dml::require(probabilities_length == n * nw.classes, "probabilities holds " + std::to_string(probabilities_length) +
                                                                 " floats; " + std::to_string(n * nw.classes) + " needed");
    torch::NoGradGuard no_grad;
    nw.set_training(false);
    auto logits = nw.body->forward(nw.input(x, n));  // (n, classes)
    auto y = torch::from_blob(const_cast<int64_t*>(labels), {n}, torch::kInt64).to(nw.device);
    *loss_sum = torch::nn::functional::cross_entropy(
                    logits, y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                    .item<double>();
    *correct = logits.argmax(1).eq(y).sum().item<int64_t>();
    if (probabilities != nullptr) {
        auto host = torch::softmax(logits, 1).to(torch::kCPU).contiguous();
        std::memcpy(probabilities, host.data_ptr<float>(), sizeof(float) * static_cast<size_t>(probabilities_length));
    }
    DML_GUARD_END
}

DML_API dml_status dml_network_state_count(dml_network* net, int32_t* count) {
    DML_GUARD_BEGIN
    auto& n = checked(net);
    dml::require(count != nullptr, "count is NULL");
    *count = static_cast<int32_t>(n.state.size());
    DML_GUARD_END
}

DML_API dml_status dml_network_state_info(dml_network* net, int32_t index, const char** name, int32_t* is_parameter,
                                          int32_t* rank, int64_t* shape) {
    DML_GUARD_BEGIN
    auto& n = checked(net);
    dml::require(index >= 0 && index < static_cast<int32_t>(n.state.size()), "state index out of range");
    dml::require(name && is_parameter && rank && shape, "an out-parameter is NULL");
    const auto& t = n.state[index];
    dml::require(t.dim() <= 8, "tensor rank above 8");
    *name = n.state_names[index].c_str();
    *is_parameter = index < n.parameter_tensors ? 1 : 0;
    *rank = static_cast<int32_t>(t.dim());
    for (int64_t d = 0; d < t.dim(); ++d) shape[d] = t.size(d);
    DML_GUARD_END
}

DML_API dml_status dml_network_state_read(dml_network* net, int32_t index, float* dst, int64_t length) {
    DML_GUARD_BEGIN
    auto& n = checked(net);
    dml::require(index >= 0 && index < static_cast<int32_t>(n.state.size()), "state index out of range");
    dml::require(dst != nullptr, "dst is NULL");
    const auto& t = n.state[index];
    dml::require(length == t.numel(), n.state_names[index] + " holds " + std::to_string(t.numel()) +
                                          " values; buffer holds " + std::to_string(length));
    auto host = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    std::memcpy(dst, host.data_ptr<float>(), sizeof(float) * static_cast<size_t>(length));
    DML_GUARD_END
}

DML_API dml_status dml_network_state_write(dml_network* net, int32_t index, const float* src, int64_t length) {
    DML_GUARD_BEGIN
    auto& n = checked(net);
    dml::require(index >= 0 && index < static_cast<int32_t>(n.state.size()), "state index out of range");
    dml::require(src != nullptr, "src is NULL");
    auto& t = n.state[index];
    dml::require(length == t.numel(), n.state_names[index] + " holds " + std::to_string(t.numel()) +
                                          " values; source holds " + std::to_string(length));
    torch::NoGradGuard no_grad;
    auto host = torch::from_blob(const_cast<float*>(src), t.sizes(), torch::kFloat32);
    t.copy_(host);
    DML_GUARD_END
}

DML_API dml_status dml_network_dropout_position_get(dml_network* net, uint64_t* position) {
    DML_GUARD_BEGIN
    auto& n = checked(net);
    dml::require(position != nullptr, "position is NULL");
    *position = static_cast<DropoutStream*>(n.dropout.get())->position.load();
    DML_GUARD_END
}

DML_API dml_status dml_network_dropout_position_set(dml_network* net, uint64_t position) {
    DML_GUARD_BEGIN
    auto& n = checked(net);
    static_cast<DropoutStream*>(n.dropout.get())->position.store(position);
    DML_GUARD_END
}

}  // extern "C"
