// DigitsRecognitionOptions.cs — what AddDigitsRecognition reads: the model file (or stream), reloading and the image limit.
namespace DigitsML;

/// <summary>Settings of the <see cref="DigitRecognizer"/> that <c>AddDigitsRecognition</c> registers; bind them from
/// configuration (<c>{ "ModelPath": "digits.zip", "WatchForChanges": true }</c>) or set them in code.</summary>
public sealed class DigitsRecognitionOptions
{
    /// <summary>The model zip (<c>ml.Model.Save</c>'s or <c>digits train</c>'s). Required unless
    /// <see cref="ModelStream"/> is set; a relative path is taken from the current directory.</summary>
    public string? ModelPath { get; set; }

    /// <summary>Opens the model zip when there is no file (a resource, a blob): called once, at start; the stream must
    /// be seekable and is disposed after loading. Such a model never reloads. Default null.</summary>
    public Func<Stream>? ModelStream { get; set; }

    /// <summary>Reload the model when <see cref="ModelPath"/> changes on disk. Default true.</summary>
    public bool WatchForChanges { get; set; } = true;

    /// <summary>How long the file must stay unchanged before it is reloaded (a copy in progress raises several change
    /// events). Default 500 ms.</summary>
    public TimeSpan ReloadDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The classes a model must have, in <see cref="DigitClassifier.Classes"/>' order (e.g. "0" to "9"): a model
    /// with others is refused at start and at every reload, so a wrong file never answers. Default null: any classes.</summary>
    public IReadOnlyList<string>? RequiredClasses { get; set; }

    /// <summary>Images with more pixels are refused from their header, before decoding. Default
    /// <see cref="DigitFeatures.MaxPixels"/>.</summary>
    public int MaxPixels { get; set; } = DigitFeatures.MaxPixels;
}
