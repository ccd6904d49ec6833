// training.cpp — one whole training step per call, so a batch crosses the ABI once.
#include "common.h"

extern "C" {

DML_API dml_status dml_train_step(dml_network* net, dml_optimizer* opt, const float* x, const int64_t* labels,
                                  int64_t n, double label_smoothing, double* loss, int64_t* correct) {
    DML_GUARD_BEGIN
    dml::require(net != nullptr && opt != nullptr, "network or optimizer handle is NULL");
    dml::require(labels != nullptr && loss != nullptr && correct != nullptr, "labels, loss or correct is NULL");
    dml::require(label_smoothing >= 0.0 && label_smoothing < 1.0, "label smoothing must be in [0, 1)");
    auto& nw = net->impl;
    nw.set_training(true);
    auto input = nw.input(x, n);  // (n, C, H, W)
    auto target = torch::from_blob(const_cast<int64_t*>(labels), {n}, torch::kInt64).to(nw.device);
    opt->impl->zero_grad();
    auto logits = nw.body->forward(input);  // (n, classes)
    auto batch_loss = torch::nn::functional::cross_entropy(
        logits, target, torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(label_smoothing));
    batch_loss.backward();
    opt->impl->step();
    *loss = batch_loss.item<double>();
    *correct = logits.detach().argmax(1).eq(target).sum().item<int64_t>();
    DML_GUARD_END
}

}  // extern "C"
