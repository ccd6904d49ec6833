// AugmentationTests.cs — rotation and shift of training images: exact pixel moves, identity, and seeded repeatability.
using DigitsML.Engine;
using DigitsML.Networks;

namespace DigitsML.Tests.Engine;

[TestFixture]
public sealed class AugmentationTests
{
    private static readonly TensorShape Shape = TensorShape.Mnist;

    private static float[] SinglePixel(int x, int y)
    {
        var image = new float[784];
        image[y * 28 + x] = 1f;
        return image;
    }

    [Test]
    public void Transform_NoRotationNoShift_ReturnsTheImage()
    {
        var image = Enumerable.Range(0, 784).Select(i => (i * 31 % 256) / 255f).ToArray();
        var output = new float[784];

        ImageAugmentation.Transform(image, output, 1, Shape, [0f], [0f, 0f]);

        Assert.That(output, Is.EqualTo(image).Within(1e-5));
    }

    [Test]
    public void Transform_ShiftThreePixelsRightAndTwoDown_MovesEveryPixelExactly()
    {
        var image = Enumerable.Range(0, 784).Select(i => (i * 17 % 256) / 255f).ToArray();
        var output = new float[784];

        ImageAugmentation.Transform(image, output, 1, Shape, [0f], [3f / 28, 2f / 28]);

        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
            {
                float expected = x >= 3 && y >= 2 ? image[(y - 2) * 28 + (x - 3)] : 0f;
                Assert.That(output[y * 28 + x], Is.EqualTo(expected).Within(1e-5), $"pixel ({x}, {y})");
            }
    }

    [Test]
    public void Transform_Rotate90CounterClockwise_MovesAPixelRightOfCentreToAboveIt()
    {
        // Centre (13.5, 13.5): the pixel 6.5 right of it and 0.5 up ends 0.5 left of it and 6.5 up.
        var output = new float[784];

        ImageAugmentation.Transform(SinglePixel(20, 13), output, 1, Shape, [90f], [0f, 0f]);

        Assert.That(output[7 * 28 + 13], Is.EqualTo(1f).Within(1e-4));
        Assert.That(output.Sum(), Is.EqualTo(1f).Within(1e-4));
    }

    [Test]
    public void Apply_SameSeed_SameImages_DifferentSeed_Different()
    {
        var augmentation = ImageAugmentation.AnEtAl;
        var images = Enumerable.Range(0, 3 * 784).Select(i => (i * 7 % 256) / 255f).ToArray();
        float[] Run(int seed)
        {
            using var batch = TorchSharp.torch.tensor(images, [3, 1, 28, 28]);
            using var output = augmentation.Apply(batch, Shape, new Random(seed));
            return output.data<float>().ToArray();
        }

        Assert.That(Run(1), Is.EqualTo(Run(1)));
        Assert.That(Run(1), Is.Not.EqualTo(Run(2)));
        Assert.That(Run(1).All(v => v >= 0f && v <= 1f + 1e-6f), Is.True);
    }

    [Test]
    public void Transform_WrongLengths_ThrowsArgumentException()
    {
        var output = new float[784];

        Assert.Throws<ArgumentException>(() => ImageAugmentation.Transform(new float[783], output, 1, Shape, [0f], [0f, 0f]));
        Assert.Throws<ArgumentException>(() => ImageAugmentation.Transform(new float[784], output, 1, Shape, [0f], [0f]));
        Assert.Throws<ArgumentException>(() => ImageAugmentation.Transform(new float[10], new float[10], 1, TensorShape.Vector(10), [0f], [0f, 0f]));
    }
}
