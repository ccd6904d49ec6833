// ema.cpp — an exponential moving average of a network's weights, for evaluating and saving averaged weights.
#include "common.h"

#include <algorithm>

struct dml_ema {
    std::vector<torch::Tensor> shadow;  // one per network state entry, same order, same device
    double decay = 0.999;
};

namespace {

dml_ema& checked(dml_ema* ema, dml_network* net) {
    dml::require(ema != nullptr && net != nullptr, "average or network handle is NULL");
    dml::require(ema->shadow.size() == net->impl.state.size(), "the average belongs to another network");
    for (size_t k = 0; k < ema->shadow.size(); ++k)
        dml::require(ema->shadow[k].sizes() == net->impl.state[k].sizes(), "the average belongs to another network");
    return *ema;
}

}  // namespace

extern "C" {

DML_API dml_status dml_ema_create(dml_network* net, double decay, dml_ema** out) {
    DML_GUARD_BEGIN
    dml::require(out != nullptr, "out is NULL");
    *out = nullptr;
    dml::require(net != nullptr, "network handle is NULL");
    dml::require(decay > 0.0 && decay < 1.0, "decay must be in (0, 1)");
    torch::NoGradGuard no_grad;
    auto ema = std::make_unique<dml_ema>();
    ema->decay = decay;
    for (const auto& t : net->impl.state) ema->shadow.push_back(t.detach().clone());
    *out = ema.release();
    DML_GUARD_END
}

DML_API void dml_ema_free(dml_ema* ema) { delete ema; }

DML_API dml_status dml_ema_update(dml_ema* ema, dml_network* net, int64_t step) {
    DML_GUARD_BEGIN
    auto& e = checked(ema, net);
    dml::require(step >= 0, "step must not be negative");
    // Early in training the average would remember the random initial weights for ~1/(1-decay)
    // steps; the warm-up decay lets it follow the weights until enough steps have passed.
    double d = std::min(e.decay, (1.0 + static_cast<double>(step)) / (10.0 + static_cast<double>(step)));
    torch::NoGradGuard no_grad;
    for (size_t k = 0; k < e.shadow.size(); ++k) e.shadow[k].mul_(d).add_(net->impl.state[k].detach(), 1.0 - d);
    DML_GUARD_END
}

DML_API dml_status dml_ema_swap(dml_ema* ema, dml_network* net) {
    DML_GUARD_BEGIN
    auto& e = checked(ema, net);
    torch::NoGradGuard no_grad;
    for (size_t k = 0; k < e.shadow.size(); ++k) {
        auto live = net->impl.state[k].detach().clone();
        net->impl.state[k].copy_(e.shadow[k]);
        e.shadow[k] = live;
    }
    DML_GUARD_END
}

}  // extern "C"
