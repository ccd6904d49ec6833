// DataViewSchema.Annotations.cs — facts attached to a column (slot names, key values), read through getters.
using DigitsML.Data;

namespace DigitsML;

public sealed partial class DataViewSchema
{
    /// <summary>The annotations of a column: named values such as <see cref="AnnotationUtils.Kinds.SlotNames"/> (the
    /// names of a vector's items) and <see cref="AnnotationUtils.Kinds.KeyValues"/> (the values a key indexes).</summary>
    public sealed class Annotations
    {
        private readonly IReadOnlyList<(string Kind, DataViewType Type, Delegate Getter)> items;
        private DataViewSchema? schema;

        private Annotations(IReadOnlyList<(string, DataViewType, Delegate)> items) => this.items = items;

        /// <summary>No annotations.</summary>
        public static Annotations Empty { get; } = new([]);

        /// <summary>One column per annotation kind, typed as the annotation's value.</summary>
        public DataViewSchema Schema => schema ??= Create(items.Select(i => (i.Kind, i.Type, Empty)));

        /// <summary>Reads the annotation <paramref name="kind"/> into <paramref name="value"/>.</summary>
        /// <exception cref="InvalidOperationException">There is no such annotation, or it is not of type
        /// <typeparamref name="TValue"/>; the message names both.</exception>
        public void GetValue<TValue>(string kind, ref TValue value)
        {
            ArgumentNullException.ThrowIfNull(kind);
            foreach (var (k, type, getter) in items)
            {
                if (k != kind)
                    continue;
                if (getter is not ValueGetter<TValue> typed)
                    throw new InvalidOperationException($"Annotation '{kind}' is of type {type}, read as {type.RawType.Name}, not {typeof(TValue).Name}.");
                typed(ref value);
                return;
            }
            throw new InvalidOperationException($"There is no annotation '{kind}'.");
        }

        /// <summary>The getter of the annotation that <paramref name="column"/> of <see cref="Schema"/> describes.</summary>
        /// <exception cref="InvalidOperationException">The annotation is not of type <typeparamref name="TValue"/>.</exception>
        public ValueGetter<TValue> GetGetter<TValue>(Column column)
        {
            var (kind, type, getter) = items[column.Index];
            return getter as ValueGetter<TValue>
                   ?? throw new InvalidOperationException($"Annotation '{kind}' is of type {type}, not read as {typeof(TValue).Name}.");
        }

        /// <summary>The type of annotation <paramref name="kind"/>, or null when there is none.</summary>
        internal DataViewType? TypeOf(string kind) => items.FirstOrDefault(i => i.Kind == kind).Type;

        /// <summary>Builds annotations.</summary>
        public sealed class Builder
        {
            private readonly List<(string, DataViewType, Delegate)> items = [];

            /// <summary>Adds annotation <paramref name="kind"/> of <paramref name="type"/>, read through <paramref name="getter"/>.</summary>
            /// <exception cref="ArgumentException">The getter's type is not the type's raw type, or the kind is already added.</exception>
            public void Add<TValue>(string kind, DataViewType type, ValueGetter<TValue> getter)
            {
                ArgumentException.ThrowIfNullOrEmpty(kind);
                ArgumentNullException.ThrowIfNull(type);
                ArgumentNullException.ThrowIfNull(getter);
                if (type.RawType != typeof(TValue))
                    throw new ArgumentException($"Annotation '{kind}' of type {type} is read as {type.RawType.Name}, not {typeof(TValue).Name}.", nameof(getter));
                if (items.Exists(i => i.Item1 == kind))
                    throw new ArgumentException($"Annotation '{kind}' is already added.", nameof(kind));
                items.Add((kind, type, getter));
            }

            /// <summary>Adds the names of a vector's <paramref name="size"/> items.</summary>
            public void AddSlotNames(int size, ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter) =>
                Add(AnnotationUtils.Kinds.SlotNames, new VectorDataViewType(TextDataViewType.Instance, size), getter);

            /// <summary>Adds the <paramref name="size"/> values a key indexes, of <paramref name="valueType"/>.</summary>
            public void AddKeyValues<TValue>(int size, PrimitiveDataViewType valueType, ValueGetter<VBuffer<TValue>> getter) =>
                Add(AnnotationUtils.Kinds.KeyValues, new VectorDataViewType(valueType, size), getter);

            /// <summary>The annotations added so far.</summary>
            public Annotations ToAnnotations() => items.Count == 0 ? Empty : new Annotations(items.ToList());
        }
    }
}
