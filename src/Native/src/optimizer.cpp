// optimizer.cpp — optimizers over a network's parameters: libtorch's SGD, Adam and AdamW,
// and Adadelta (absent from libtorch's C++ frontend) written here with PyTorch's update rule.
#include "common.h"

#include <sstream>
#include <type_traits>

namespace {

// The key libtorch's optimizers file a parameter's state under: the TensorImpl address as text in 1.13
// (c10::guts::to_string), the address itself in later versions; the map's key type decides.
template <typename Map>
typename Map::key_type state_key(const torch::Tensor& p) {
    using Key = typename Map::key_type;
    if constexpr (std::is_same_v<Key, std::string>) {
        std::ostringstream text;
        text << p.unsafeGetTensorImpl();
        return text.str();
    } else {
        return reinterpret_cast<Key>(p.unsafeGetTensorImpl());
    }
}

// Which state fields each libtorch optimizer keeps per parameter, and where they live.
template <typename TorchOptimizer> struct StateFields;

template <> struct StateFields<torch::optim::SGD> {
    using State = torch::optim::SGDParamState;
    static std::vector<std::string> names(const torch::optim::SGDOptions& o) {
        return o.momentum() != 0 ? std::vector<std::string>{"momentum_buffer"} : std::vector<std::string>{};
    }
    static torch::Tensor& tensor(State& s, size_t) { return s.momentum_buffer(); }
    static int64_t* step(State&) { return nullptr; }
};

template <typename State_> struct AdamLikeFields {
    using State = State_;
    template <typename O> static std::vector<std::string> names(const O&) { return {"step", "exp_avg", "exp_avg_sq"}; }
    static torch::Tensor& tensor(State& s, size_t field) { return field == 1 ? s.exp_avg() : s.exp_avg_sq(); }
    static int64_t* step(State& s) { return &s.step(); }
};
template <> struct StateFields<torch::optim::Adam> : AdamLikeFields<torch::optim::AdamParamState> {};
template <> struct StateFields<torch::optim::AdamW> : AdamLikeFields<torch::optim::AdamWParamState> {};

// Float32 holds every integer up to 2^24 exactly; step counts past that are refused rather than rounded.
constexpr int64_t max_exact_step = int64_t{1} << 24;

// Wraps a libtorch optimizer; its single parameter group carries the learning rate.
template <typename TorchOptimizer>
struct TorchBacked : dml::Optimizer {
    using Fields = StateFields<TorchOptimizer>;
    TorchOptimizer optimizer;
    std::vector<torch::Tensor> params;
    size_t fields = 0;
    template <typename Options>
    TorchBacked(std::vector<torch::Tensor> p, Options options) : optimizer(p, options), params(std::move(p)) {
        auto names = Fields::names(options);
        fields = names.size();
        for (size_t k = 0; k < params.size(); ++k)
            for (const auto& f : names) {
                state_names.push_back(std::to_string(k) + "." + f);
                state_shapes.push_back(f == "step" ? std::vector<int64_t>{} : params[k].sizes().vec());
            }
    }
    void zero_grad() override { optimizer.zero_grad(); }
    void step() override { optimizer.step(); }
    void set_lr(double lr) override {
        for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
    }

    // The state of parameter k, created with zeros when asked and absent.
    typename Fields::State* find(size_t k, bool create) {
        auto& map = optimizer.state();
        auto key = state_key<std::decay_t<decltype(map)>>(params[k]);
        auto it = map.find(key);
        if (it != map.end()) return static_cast<typename Fields::State*>(it->second.get());
        if (!create) return nullptr;
        auto fresh = std::make_unique<typename Fields::State>();
        for (size_t f = 0; f < fields; ++f)
            if (Fields::step(*fresh) == nullptr || f > 0) Fields::tensor(*fresh, f) = torch::zeros_like(params[k], torch::MemoryFormat::Preserve);
        auto* raw = fresh.get();
        map[key] = std::move(fresh);
        return raw;
    }

    void state_read(size_t index, float* dst) override {
        size_t k = index / fields, f = index % fields;
        auto* s = find(k, false);
        int64_t* step = s ? Fields::step(*s) : nullptr;
        if (state_shapes[index].empty()) {
            int64_t value = step ? *step : 0;
            dml::require(value < max_exact_step, "the step count " + std::to_string(value) + " does not fit a float32 exactly");
            dst[0] = static_cast<float>(value);
            return;
        }
        auto out = torch::from_blob(dst, state_shapes[index], torch::kFloat32);
        if (s == nullptr || !Fields::tensor(*s, f).defined()) out.zero_();
        else out.copy_(Fields::tensor(*s, f).detach().to(torch::kCPU, torch::kFloat32));
    }

    void state_write(size_t index, const float* src) override {
        size_t k = index / fields, f = index % fields;
        auto* s = find(k, true);
        if (state_shapes[index].empty()) {
            dml::require(src[0] >= 0 && src[0] < static_cast<float>(max_exact_step) && src[0] == std::floor(src[0]),
                         state_names[index] + " must be a whole number of steps");
            *Fields::step(*s) = static_cast<int64_t>(src[0]);
            return;
        }
        torch::NoGradGuard no_grad;
        auto& t = Fields::tensor(*s, f);
        if (!t.defined()) t = torch::zeros_like(params[k], torch::MemoryFormat::Preserve);
        t.copy_(torch::from_blob(const_cast<float*>(src), state_shapes[index], torch::kFloat32));
    }
};

// PyTorch's torch.optim.Adadelta (1.13), step for step.
struct Adadelta : dml::Optimizer {
    std::vector<torch::Tensor> params, square_avg, acc_delta;
    double lr, rho, eps, weight_decay;
    Adadelta(std::vector<torch::Tensor> p, double lr_, double rho_, double eps_, double wd)
        : params(std::move(p)), lr(lr_), rho(rho_), eps(eps_), weight_decay(wd) {
        for (size_t k = 0; k < params.size(); ++k) {
            square_avg.push_back(torch::zeros_like(params[k], torch::MemoryFormat::Preserve));
            acc_delta.push_back(torch::zeros_like(params[k], torch::MemoryFormat::Preserve));
            for (const char* f : {"square_avg", "acc_delta"}) {
                state_names.push_back(std::to_string(k) + "." + f);
                state_shapes.push_back(params[k].sizes().vec());
            }
        }
    }
    torch::Tensor& slot(size_t index) { return (index % 2 == 0 ? square_avg : acc_delta)[index / 2]; }
    void state_read(size_t index, float* dst) override {
        torch::from_blob(dst, state_shapes[index], torch::kFloat32).copy_(slot(index).detach().to(torch::kCPU));
    }
    void state_write(size_t index, const float* src) override {
        torch::NoGradGuard no_grad;
        slot(index).copy_(torch::from_blob(const_cast<float*>(src), state_shapes[index], torch::kFloat32));
    }
    void zero_grad() override {
        for (auto& t : params)
            if (t.grad().defined()) {
                t.mutable_grad().detach_();
                t.mutable_grad().zero_();
            }
    }
    void step() override {
        torch::NoGradGuard no_grad;
        for (size_t k = 0; k < params.size(); ++k) {
            auto& p = params[k];
            if (!p.grad().defined()) continue;
            auto grad = weight_decay != 0.0 ? p.grad().add(p, weight_decay) : p.grad();
            square_avg[k].mul_(rho).addcmul_(grad, grad, 1.0 - rho);
            auto std = square_avg[k].add(eps).sqrt_();
            auto delta = acc_delta[k].add(eps).sqrt_().div_(std).mul_(grad);
            acc_delta[k].mul_(rho).addcmul_(delta, delta, 1.0 - rho);
            p.add_(delta, -lr);
        }
    }
    void set_lr(double lr_) override { lr = lr_; }
};

}  // namespace

extern "C" {

DML_API dml_status dml_optimizer_create(dml_network* net, const dml_optimizer_options* o, dml_optimizer** out) {
    DML_GUARD_BEGIN
    dml::require(out != nullptr, "out is NULL");
    *out = nullptr;
    dml::require(net != nullptr, "network handle is NULL");
    dml::require(o != nullptr, "options is NULL");
    dml::require(o->lr >= 0.0, "learning rate must not be negative");
    auto params = net->impl.body->parameters();
    auto result = std::make_unique<dml_optimizer>();
    switch (o->kind) {
        case DML_OPT_SGD:
            result->impl = std::make_unique<TorchBacked<torch::optim::SGD>>(
                params, torch::optim::SGDOptions(o->lr).momentum(o->momentum).dampening(o->dampening)
                            .weight_decay(o->weight_decay).nesterov(o->nesterov != 0));
            break;
        case DML_OPT_ADAM:
            result->impl = std::make_unique<TorchBacked<torch::optim::Adam>>(
                params, torch::optim::AdamOptions(o->lr).betas({o->beta1, o->beta2}).eps(o->eps)
                            .weight_decay(o->weight_decay));
            break;
        case DML_OPT_ADAMW:
            result->impl = std::make_unique<TorchBacked<torch::optim::AdamW>>(
                params, torch::optim::AdamWOptions(o->lr).betas({o->beta1, o->beta2}).eps(o->eps)
                            .weight_decay(o->weight_decay));
            break;
        case DML_OPT_ADADELTA:
            result->impl = std::make_unique<Adadelta>(params, o->lr, o->rho, o->eps, o->weight_decay);
            break;
        default:
            throw dml::InvalidArgument("unknown optimizer kind " + std::to_string(o->kind));
    }
    *out = result.release();
    DML_GUARD_END
}

DML_API void dml_optimizer_free(dml_optimizer* opt) { delete opt; }

DML_API dml_status dml_optimizer_set_lr(dml_optimizer* opt, double lr) {
    DML_GUARD_BEGIN
    dml::require(opt != nullptr, "optimizer handle is NULL");
    dml::require(lr >= 0.0, "learning rate must not be negative");
    opt->impl->set_lr(lr);
    DML_GUARD_END
}

namespace {
dml::Optimizer& checked_state(dml_optimizer* opt, int32_t index) {
    dml::require(opt != nullptr, "optimizer handle is NULL");
    dml::require(index >= 0 && static_cast<size_t>(index) < opt->impl->state_names.size(), "optimizer state index out of range");
    return *opt->impl;
}

int64_t elements(const std::vector<int64_t>& shape) {
    int64_t n = 1;
    for (auto d : shape) n *= d;
    return n;
}
}  // namespace

DML_API dml_status dml_optimizer_state_count(dml_optimizer* opt, int32_t* count) {
    DML_GUARD_BEGIN
    dml::require(opt != nullptr, "optimizer handle is NULL");
    dml::require(count != nullptr, "count is NULL");
    *count = static_cast<int32_t>(opt->impl->state_names.size());
    DML_GUARD_END
}

DML_API dml_status dml_optimizer_state_info(dml_optimizer* opt, int32_t index, const char** name, int32_t* rank,
                                            int64_t* shape) {
    DML_GUARD_BEGIN
    auto& o = checked_state(opt, index);
    dml::require(name && rank && shape, "an out-parameter is NULL");
    const auto& dims = o.state_shapes[index];
    dml::require(dims.size() <= 8, "tensor rank above 8");
    *name = o.state_names[index].c_str();
    *rank = static_cast<int32_t>(dims.size());
    for (size_t d = 0; d < dims.size(); ++d) shape[d] = dims[d];
    DML_GUARD_END
}

DML_API dml_status dml_optimizer_state_read(dml_optimizer* opt, int32_t index, float* dst, int64_t length) {
    DML_GUARD_BEGIN
    auto& o = checked_state(opt, index);
    dml::require(dst != nullptr, "dst is NULL");
    dml::require(length == elements(o.state_shapes[index]), o.state_names[index] + " holds " +
                 std::to_string(elements(o.state_shapes[index])) + " values; buffer holds " + std::to_string(length));
    o.state_read(static_cast<size_t>(index), dst);
    DML_GUARD_END
}

DML_API dml_status dml_optimizer_state_write(dml_optimizer* opt, int32_t index, const float* src, int64_t length) {
    DML_GUARD_BEGIN
    auto& o = checked_state(opt, index);
    dml::require(src != nullptr, "src is NULL");
    dml::require(length == elements(o.state_shapes[index]), o.state_names[index] + " holds " +
                 std::to_string(elements(o.state_shapes[index])) + " values; source holds " + std::to_string(length));
    o.state_write(static_cast<size_t>(index), src);
    DML_GUARD_END
}

}  // extern "C"
