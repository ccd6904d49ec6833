// NativeStructs.cs — blittable mirrors of the structs in digitsml.h, field for field.
using System.Runtime.InteropServices;

namespace DigitsML.Interop;

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeLayer
{
    public int Kind;
    public int Children;
    public fixed long I[6];
    public fixed double R[2];
    public int Flag;
    public int Reserved;
}

[StructLayout(LayoutKind.Sequential)]
internal struct NativeOptimizerOptions
{
    public int Kind;
    public int Nesterov;
    public double LearningRate;
    public double Momentum;
    public double Dampening;
    public double WeightDecay;
    public double Beta1;
    public double Beta2;
    public double Epsilon;
    public double Rho;
}

internal enum NativeLayerKind
{
    Conv2d = 1,
    BatchNorm2d = 2,
    BatchNorm1d = 3,
    ReLU = 4,
    LeakyReLU = 5,
    Sigmoid = 6,
    Tanh = 7,
    MaxPool2d = 8,
    AvgPool2d = 9,
    Dropout = 10,
    Dropout2d = 11,
    Flatten = 12,
    Linear = 13,
    Normalize = 14,
    Residual = 15,
}

internal enum NativeOptimizerKind
{
    Sgd = 1,
    Adam = 2,
    AdamW = 3,
    Adadelta = 4,
}
