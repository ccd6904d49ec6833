// optimizer.cpp — optimizers over a network's parameters: libtorch's SGD, Adam and AdamW,
// and Adadelta (absent from libtorch's C++ frontend) written here with PyTorch's update rule.
#include "common.h"

namespace {

// Wraps a libtorch optimizer; its single parameter group carries the learning rate.
template <typename TorchOptimizer>
struct TorchBacked : dml::Optimizer {
    TorchOptimizer optimizer;
    template <typename Options>
    TorchBacked(std::vector<torch::Tensor> params, Options options) : optimizer(std::move(params), options) {}
    void zero_grad() override { optimizer.zero_grad(); }
    void step() override { optimizer.step(); }
    void set_lr(double lr) override {
        for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
    }
};

// PyTorch's torch.optim.Adadelta (1.13), step for step.
struct Adadelta : dml::Optimizer {
    std::vector<torch::Tensor> params, square_avg, acc_delta;
    double lr, rho, eps, weight_decay;
    Adadelta(std::vector<torch::Tensor> p, double lr_, double rho_, double eps_, double wd)
        : params(std::move(p)), lr(lr_), rho(rho_), eps(eps_), weight_decay(wd) {
        for (auto& t : params) {
            square_avg.push_back(torch::zeros_like(t, torch::MemoryFormat::Preserve));
            acc_delta.push_back(torch::zeros_like(t, torch::MemoryFormat::Preserve));
        }
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

}  // extern "C"
