// DeviceTests.cs — device selection the ML.NET way (GPU id, fall-back to the CPU) and, where CUDA exists, a network on the GPU.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Trainers;

namespace DigitsML.Tests.Engine;

[TestFixture]
public sealed class DeviceTests
{
    // An index no machine has: equal to the CUDA device count (0 on a CPU-only libtorch).
    private static int MissingGpu => TorchRuntime.CudaDeviceCount;

    [Test]
    public void Select_NoGpuId_IsCpu()
    {
        var messages = new List<string>();

        Assert.That(Device.Select(null, fallbackToCpu: false, messages.Add), Is.EqualTo(Device.Cpu));
        Assert.That(Device.Select(null, fallbackToCpu: true, messages.Add), Is.EqualTo(Device.Cpu));
        Assert.That(messages, Is.Empty);
    }

    [Test]
    public void Select_MissingGpuWithFallback_IsCpuAndLogsWhy()
    {
        var messages = new List<string>();

        var device = Device.Select(MissingGpu, fallbackToCpu: true, messages.Add);

        Assert.That(device, Is.EqualTo(Device.Cpu));
        Assert.That(messages, Has.Count.EqualTo(1));
        Assert.That(messages[0], Does.Contain($"GPU {MissingGpu}").And.Contain("CPU"));
    }

    [Test]
    public void Select_MissingGpuWithoutFallback_ThrowsDeviceUnavailableException()
    {
        var e = Assert.Throws<DeviceUnavailableException>(() => Device.Select(MissingGpu, fallbackToCpu: false));

        Assert.That(e!.Message, Does.Contain($"GPU {MissingGpu}"));
    }

    [Test]
    public void Select_GpuZeroOnCpuOnlyLibtorch_FallsBackOrThrows()
    {
        if (TorchRuntime.CudaDeviceCount > 0)
            Assert.Ignore($"libtorch {TorchRuntime.Version} sees {TorchRuntime.CudaDeviceCount} CUDA device(s); this test is for CPU-only machines.");
        string? logged = null;

        Assert.That(Device.Select(0, fallbackToCpu: true, m => logged = m), Is.EqualTo(Device.Cpu));
        Assert.That(logged, Does.Contain("GPU 0"));
        Assert.Throws<DeviceUnavailableException>(() => Device.Select(0, fallbackToCpu: false));
    }

    [Test]
    public void Create_OnMissingCudaDevice_ThrowsDeviceUnavailableException()
    {
        var e = Assert.Throws<DeviceUnavailableException>(() => Network.Create(CnnArchitectures.SeedNet, Device.Cuda(MissingGpu)).Dispose());

        Assert.That(e!.Message, Does.Contain($"CUDA device {MissingGpu}"));
    }

    [Test]
    public void ToString_Devices_UsePyTorchNames()
    {
        Assert.That(Device.Cpu.ToString(), Is.EqualTo("cpu"));
        Assert.That(Device.Cuda(1).ToString(), Is.EqualTo("cuda:1"));
        Assert.That(default(Device), Is.EqualTo(Device.Cpu));
    }

    [Test]
    public void Train_OnCudaDevice_MatchesCpuClosely()
    {
        if (TorchRuntime.CudaDeviceCount == 0)
            Assert.Ignore($"No CUDA device: libtorch {TorchRuntime.Version} here is a CPU-only build or no GPU is present.");
        // TrainNet has no dropout, whose masks on a GPU come from CUDA's generator rather than the network's seed.
        var data = EngineFixtures.RandomDataset(64, EngineFixtures.TrainNet.InputShape, seed: 3);
        var options = new TrainingRun(new CnnTrainer.Options { Epochs = 2, BatchSize = 16 }, Shuffle: false);
        using var gpu = Network.Create(EngineFixtures.TrainNet, Device.Cuda(0), seed: 3);
        using var cpu = Network.Create(EngineFixtures.TrainNet, Device.Cpu, seed: 3);
        gpu.SetState(cpu.GetState());
        Assert.That(gpu.Device, Is.EqualTo(Device.Cuda(0)));

        var gpuHistory = NetworkTrainer.Train(gpu, data, null, options);
        var cpuHistory = NetworkTrainer.Train(cpu, data, null, options);

        Assert.That(gpuHistory[0].TrainLoss, Is.EqualTo(cpuHistory[0].TrainLoss).Within(1e-3));
        Assert.That(gpuHistory[1].TrainLoss, Is.EqualTo(cpuHistory[1].TrainLoss).Within(1e-3));
        EngineFixtures.AssertClose(gpu.Forward(data.Pixels, data.Count), cpu.Forward(data.Pixels, data.Count), 1e-3, "probabilities on GPU vs CPU");
    }
}
