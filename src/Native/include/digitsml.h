/* digitsml.h — the flat C ABI of the DigitsML native shim over libtorch.
 *
 * Every function returns a dml_status and writes results through out-parameters. On a
 * non-zero status, dml_last_error() returns the message (libtorch's own text where libtorch
 * raised it); the text lives in a thread-local buffer owned by the library and stays valid
 * until the next dml_* call on the same thread. No function calls exit() or abort().
 * Objects are opaque handles with explicit create/free pairs; free accepts NULL. */
#ifndef DIGITSML_H
#define DIGITSML_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define DML_API __declspec(dllexport)
#else
#define DML_API __attribute__((visibility("default")))
#endif

#define DML_ABI_VERSION 1

typedef enum dml_status {
    DML_OK = 0,
    DML_ERR_INVALID_ARGUMENT = 1, /* a NULL handle, a bad size, an unknown kind */
    DML_ERR_TORCH = 2,            /* libtorch raised c10::Error; message is libtorch's */
    DML_ERR_OUT_OF_MEMORY = 3,    /* std::bad_alloc or a device allocator failure */
    DML_ERR_DEVICE = 4,           /* the requested device is not available */
    DML_ERR_UNKNOWN = 5           /* any other exception */
} dml_status;

typedef enum dml_layer_kind {
    DML_LAYER_CONV2D = 1,      /* i: in, out, kernel, stride, padding; flag: bias */
    DML_LAYER_BATCHNORM2D = 2, /* i: features; r: eps, momentum */
    DML_LAYER_BATCHNORM1D = 3, /* i: features; r: eps, momentum */
    DML_LAYER_RELU = 4,
    DML_LAYER_LEAKYRELU = 5,   /* r: negative slope */
    DML_LAYER_SIGMOID = 6,
    DML_LAYER_TANH = 7,
    DML_LAYER_MAXPOOL2D = 8,   /* i: kernel, stride, padding */
    DML_LAYER_AVGPOOL2D = 9,   /* i: kernel, stride, padding */
    DML_LAYER_DROPOUT = 10,    /* r: probability */
    DML_LAYER_DROPOUT2D = 11,  /* r: probability */
    DML_LAYER_FLATTEN = 12,
    DML_LAYER_LINEAR = 13,     /* i: in, out; flag: bias */
    DML_LAYER_NORMALIZE = 14,  /* r: mean, std — y = (x - mean) / std */
    DML_LAYER_RESIDUAL = 15    /* children: body layers; i[0]: shortcut layers (0 = identity);
                                  y = body(x) + shortcut(x). The body's layers follow this entry,
                                  then the shortcut's; each may itself be composite. */
} dml_layer_kind;

/* One layer of a network. Shapes are inferred and checked by the caller; the shim checks
 * them again through libtorch when data flows. children counts the entries a composite layer
 * (DML_LAYER_RESIDUAL) owns; they follow it in the array. */
typedef struct dml_layer {
    int32_t kind;
    int32_t children;
    int64_t i[6];
    double r[2];
    int32_t flag;
    int32_t reserved;
} dml_layer;

typedef enum dml_optimizer_kind {
    DML_OPT_SGD = 1,
    DML_OPT_ADAM = 2,
    DML_OPT_ADAMW = 3,
    DML_OPT_ADADELTA = 4
} dml_optimizer_kind;

typedef struct dml_optimizer_options {
    int32_t kind;
    int32_t nesterov;     /* SGD */
    double lr;
    double momentum;      /* SGD */
    double dampening;     /* SGD */
    double weight_decay;  /* all; decoupled for AdamW */
    double beta1, beta2;  /* Adam, AdamW */
    double eps;           /* Adam, AdamW, Adadelta */
    double rho;           /* Adadelta */
} dml_optimizer_options;

typedef enum dml_output_kind { DML_OUTPUT_LOGITS = 0, DML_OUTPUT_PROBABILITIES = 1 } dml_output_kind;

typedef struct dml_network dml_network;
typedef struct dml_optimizer dml_optimizer;
typedef struct dml_ema dml_ema;

/* errors.cpp: library-wide state */
DML_API const char* dml_last_error(void);
DML_API dml_status dml_abi_version(int32_t* version);
DML_API dml_status dml_torch_version(const char** version);
DML_API dml_status dml_threads_set(int32_t count);
DML_API dml_status dml_threads_get(int32_t* count);
DML_API dml_status dml_cuda_device_count(int32_t* count);

/* network.cpp: build, run and read/write a network.
 * device_type: 0 = CPU, 1 = CUDA (device_index selects the GPU). The seed fixes the initial
 * weights and the network's own dropout generator, so CPU training repeats bit for bit. */
DML_API dml_status dml_network_create(const dml_layer* layers, int32_t count, int64_t in_channels,
                                      int64_t in_height, int64_t in_width, uint64_t seed,
                                      int32_t device_type, int32_t device_index, dml_network** out);
DML_API void dml_network_free(dml_network* net);
DML_API dml_status dml_network_parameter_count(dml_network* net, int64_t* count);
/* x: (n, C, H, W) float32, row-major. out: n * classes floats. Runs in eval mode, no gradients. */
DML_API dml_status dml_network_forward(dml_network* net, const float* x, int64_t n, int32_t output_kind,
                                       float* out, int64_t out_length);
/* One evaluation batch: summed cross-entropy over the batch, correct count, and optionally
 * the probabilities (n * classes floats; NULL to skip). */
DML_API dml_status dml_network_evaluate(dml_network* net, const float* x, const int64_t* labels, int64_t n,
                                        double* loss_sum, int64_t* correct, float* probabilities,
                                        int64_t probabilities_length);
/* The state: trainable parameters then buffers (BatchNorm running statistics), in module order.
 * name stays valid while the network lives; shape must hold 8 entries. */
DML_API dml_status dml_network_state_count(dml_network* net, int32_t* count);
DML_API dml_status dml_network_state_info(dml_network* net, int32_t index, const char** name, int32_t* is_parameter,
                                          int32_t* rank, int64_t* shape);
DML_API dml_status dml_network_state_read(dml_network* net, int32_t index, float* dst, int64_t length);
DML_API dml_status dml_network_state_write(dml_network* net, int32_t index, const float* src, int64_t length);
/* The position of the network's dropout stream (64-bit draws so far), saved in checkpoints so a resumed run
 * draws the same masks as an uninterrupted one. */
DML_API dml_status dml_network_dropout_position_get(dml_network* net, uint64_t* position);
DML_API dml_status dml_network_dropout_position_set(dml_network* net, uint64_t position);

/* optimizer.cpp */
DML_API dml_status dml_optimizer_create(dml_network* net, const dml_optimizer_options* options, dml_optimizer** out);
DML_API void dml_optimizer_free(dml_optimizer* opt);
DML_API dml_status dml_optimizer_set_lr(dml_optimizer* opt, double lr);
/* The optimizer's state for checkpoints, as float32 tensors named "<parameter index>.<field>": SGD with
 * momentum "momentum_buffer"; Adam and AdamW "step" (a scalar), "exp_avg", "exp_avg_sq"; Adadelta
 * "square_avg", "acc_delta". Reading before the first step gives zeros; writing creates the state.
 * name stays valid while the optimizer lives; shape must hold 8 entries. */
DML_API dml_status dml_optimizer_state_count(dml_optimizer* opt, int32_t* count);
DML_API dml_status dml_optimizer_state_info(dml_optimizer* opt, int32_t index, const char** name, int32_t* rank,
                                            int64_t* shape);
DML_API dml_status dml_optimizer_state_read(dml_optimizer* opt, int32_t index, float* dst, int64_t length);
DML_API dml_status dml_optimizer_state_write(dml_optimizer* opt, int32_t index, const float* src, int64_t length);

/* training.cpp: forward, cross-entropy (with label smoothing), backward and optimizer step
 * on one batch. loss is the batch mean; correct counts argmax hits. */
DML_API dml_status dml_train_step(dml_network* net, dml_optimizer* opt, const float* x, const int64_t* labels,
                                  int64_t n, double label_smoothing, double* loss, int64_t* correct);

/* augment.cpp: rotates and shifts each image of a batch (bilinear, zero fill), for training-time
 * augmentation. degrees: n angles, counter-clockwise; shifts: n pairs (dx, dy) as fractions of the width
 * and height, positive right and down. x and out: (n, C, H, W) float32; they may not overlap. */
DML_API dml_status dml_augment_affine(const float* x, float* out, int64_t n, int64_t channels, int64_t height,
                                      int64_t width, const float* degrees, const float* shifts);

/* inspect.cpp: runs the network in eval mode up to and including top-level layer last_layer and copies
 * that layer's output (n * its size floats), e.g. the first convolution's feature maps for a report. */
DML_API dml_status dml_network_forward_to(dml_network* net, const float* x, int64_t n, int32_t last_layer, float* out,
                                          int64_t out_length);

/* ema.cpp: an exponential moving average of a network's state (parameters and BatchNorm statistics),
 * kept beside the network. update after each optimizer step t (0-based) uses the warm-up decay
 * min(decay, (1 + t) / (10 + t)); swap exchanges the averaged and the live values, so evaluating or
 * saving with the average is swap, use, swap back. */
DML_API dml_status dml_ema_create(dml_network* net, double decay, dml_ema** out);
DML_API void dml_ema_free(dml_ema* ema);
DML_API dml_status dml_ema_update(dml_ema* ema, dml_network* net, int64_t step);
DML_API dml_status dml_ema_swap(dml_ema* ema, dml_network* net);

#ifdef __cplusplus
}
#endif

#endif
