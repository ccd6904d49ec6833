// inspect.cpp — looks inside a network: the output of an intermediate layer, for reports and debugging.
#include "common.h"

extern "C" {

DML_API dml_status dml_network_forward_to(dml_network* net, const float* x, int64_t n, int32_t last_layer, float* out,
                                          int64_t out_length) {
    DML_GUARD_BEGIN
    dml::require(net != nullptr && out != nullptr, "network or out is NULL");
    auto& nw = net->impl;
    dml::require(last_layer >= 0 && static_cast<size_t>(last_layer) < nw.body->size(),
                 "layer " + std::to_string(last_layer) + " is outside the network's " + std::to_string(nw.body->size()) + " layers");
    torch::NoGradGuard no_grad;
    nw.set_training(false);
    auto y = nw.input(x, n);  // (n, C, H, W) -> the chosen layer's output
    int32_t index = 0;
    for (auto& layer : *nw.body) {
        y = layer.forward(y);
        if (index++ == last_layer) break;
    }
    dml::require(out_length == y.numel(), "out holds " + std::to_string(out_length) + " floats; layer " +
                                              std::to_string(last_layer) + " gives " + std::to_string(y.numel()));
    auto host = y.to(torch::kCPU).contiguous();
    std::memcpy(out, host.data_ptr<float>(), sizeof(float) * static_cast<size_t>(out_length));
    DML_GUARD_END
}

}  // extern "C"
