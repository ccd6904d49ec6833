// KeyValueSetOfT.cs — KeyValueSet for values of one raw type, with text compared by content.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DigitsML.Data;

internal sealed class KeyValueSet<T>(PrimitiveDataViewType itemType) : KeyValueSet where T : notnull
{
    private static readonly IEqualityComparer<T> equality = typeof(T) == typeof(ReadOnlyMemory<char>)
        ? (IEqualityComparer<T>)(object)TextComparer.Instance : EqualityComparer<T>.Default;
    private static readonly IComparer<T> order = typeof(T) == typeof(ReadOnlyMemory<char>)
        ? (IComparer<T>)(object)TextComparer.Instance : Comparer<T>.Default;

    private T[] values = [];
    private Dictionary<T, uint>? index;

    internal override PrimitiveDataViewType ItemType => itemType;

    internal override int Count => values.Length;

    private Dictionary<T, uint> Index => index ??= values.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => (uint)p.i + 1, equality);

    internal override string Text(int index) => values[index] switch
    {
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        var v => v.ToString() ?? "",
    };

    internal override DataViewSchema.Annotations ToAnnotations()
    {
        var builder = new DataViewSchema.Annotations.Builder();
        var copy = values;
        builder.AddKeyValues(copy.Length, itemType, (ref VBuffer<T> value) => VBuffer<T>.Assign(ref value, copy));
        return builder.ToAnnotations();
    }

    internal override JsonArray ToJson() => new([.. values.Select(v => v is ReadOnlyMemory<char> text
        ? JsonValue.Create(text.ToString())
        : (JsonNode)JsonValue.Create(v)!)]);

    private protected override void ReadJson(JsonArray json, string source)
    {
        try
        {
            values = [.. json.Select(n => typeof(T) == typeof(ReadOnlyMemory<char>)
                ? (T)(object)n!.GetValue<string>().AsMemory()
                : n!.GetValue<T>())];
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException or JsonException)
        {
            throw new DataFormatException(source, $"key values are not all of type {itemType} ({e.Message})");
        }
        if (values.Length == 0 || Index.Count != values.Length)
            throw new DataFormatException(source, "key values must be distinct and not empty");
    }

    private protected override void ReadAnnotation(DataViewSchema.Column column)
    {
        VBuffer<T> buffer = default;
        column.GetKeyValues(ref buffer);
        values = buffer.ToArray();
    }

    private protected override void CollectCore(IDataView data, DataViewSchema.Column column, int maximum, bool sortByValue)
    {
        var seen = new Dictionary<T, uint>(equality);
        var found = new List<T>();
        using (var cursor = data.GetRowCursor([column]))
        {
            var get = cursor.GetGetter<T>(column);
            T value = default!;
            while (found.Count < maximum && cursor.MoveNext())
            {
                get(ref value);
                if (!IsMissing(value) && seen.TryAdd(value, 0))
                    found.Add(value);
            }
        }
        if (sortByValue)
            found.Sort(order);
        values = [.. found];
    }

    internal override Delegate MakeValueGetter(Func<ulong> key) => (ValueGetter<T>)((ref T value) =>
    {
        ulong k = key();
        value = k >= 1 && k <= (ulong)values.Length ? values[k - 1] : Missing;
    });

    internal override ValueGetter<uint> MakeKeyGetter(Delegate valueGetter)
    {
        var get = (ValueGetter<T>)valueGetter;
        var lookup = Index;
        T v = default!;
        return (ref uint key) =>
        {
            get(ref v);
            key = !IsMissing(v) && lookup.TryGetValue(v, out uint k) ? k : 0;
        };
    }

    internal override bool SameValues(KeyValueSet other) =>
        other is KeyValueSet<T> typed && typed.values.SequenceEqual(values, equality);

    private static T Missing => typeof(T) == typeof(float) ? (T)(object)float.NaN
        : typeof(T) == typeof(double) ? (T)(object)double.NaN
        : default!;

    /// <summary>NaN is ML.NET's missing value of floating-point types; it never becomes a key.</summary>
    private static bool IsMissing(T value) => value is float f ? float.IsNaN(f) : value is double d && double.IsNaN(d);

    private sealed class TextComparer : IEqualityComparer<ReadOnlyMemory<char>>, IComparer<ReadOnlyMemory<char>>
    {
        internal static readonly TextComparer Instance = new();

        public bool Equals(ReadOnlyMemory<char> x, ReadOnlyMemory<char> y) => x.Span.SequenceEqual(y.Span);

        public int GetHashCode(ReadOnlyMemory<char> text) => string.GetHashCode(text.Span, StringComparison.Ordinal);

        public int Compare(ReadOnlyMemory<char> x, ReadOnlyMemory<char> y) => x.Span.SequenceCompareTo(y.Span);
    }
}
