// augment.cpp — training-time augmentation: a random rotation and shift per image, drawn by the caller
// and applied here with libtorch's affine_grid and grid_sample (bilinear, zero fill).
#include "common.h"

#include <cmath>

extern "C" {

DML_API dml_status dml_augment_affine(const float* x, float* out, int64_t n, int64_t channels, int64_t height,
                                      int64_t width, const float* degrees, const float* shifts) {
    DML_GUARD_BEGIN
    dml::require(x != nullptr && out != nullptr && degrees != nullptr && shifts != nullptr, "an argument is NULL");
    dml::require(n > 0 && channels > 0 && height > 0 && width > 0, "batch and image dimensions must be positive");
    torch::NoGradGuard no_grad;
    auto input = torch::from_blob(const_cast<float*>(x), {n, channels, height, width}, torch::kFloat32);
    // theta maps output coordinates to input coordinates in [-1, 1] units, so it holds the inverse
    // transform: rotating the content by +a and shifting it by (dx, dy) samples at R(-a)·(p - 2·d).
    auto theta = torch::empty({n, 2, 3}, torch::kFloat32);
    auto t = theta.accessor<float, 3>();
    for (int64_t i = 0; i < n; ++i) {
        double a = degrees[i] * M_PI / 180.0, c = std::cos(a), s = std::sin(a);
        double dx = 2.0 * shifts[2 * i], dy = 2.0 * shifts[2 * i + 1];
        dml::require(std::isfinite(a) && std::isfinite(dx) && std::isfinite(dy), "angles and shifts must be finite");
        // y axis points down in image coordinates, so a counter-clockwise turn on screen is -a here.
        t[i][0][0] = static_cast<float>(c);
        t[i][0][1] = static_cast<float>(-s);
        t[i][0][2] = static_cast<float>(-(c * dx - s * dy));
        t[i][1][0] = static_cast<float>(s);
        t[i][1][1] = static_cast<float>(c);
        t[i][1][2] = static_cast<float>(-(s * dx + c * dy));
    }
    // grid: (n, H, W, 2) -> sampled: (n, C, H, W)
    auto grid = torch::nn::functional::affine_grid(theta, {n, channels, height, width}, /*align_corners=*/false);
    auto sampled = torch::nn::functional::grid_sample(
        input, grid,
        torch::nn::functional::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kZeros).align_corners(false));
    std::memcpy(out, sampled.contiguous().data_ptr<float>(), sizeof(float) * static_cast<size_t>(n * channels * height * width));
    DML_GUARD_END
}

}  // extern "C"
