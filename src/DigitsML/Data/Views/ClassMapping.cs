// ClassMapping.cs — how a user class maps to columns: its public fields and properties, named and typed by attributes.
using System.Linq.Expressions;
using System.Reflection;

namespace DigitsML.Data;

/// <summary>The columns of <typeparamref name="TRow"/>: every public instance field and property without
/// <see cref="NoColumnAttribute"/>, named by <see cref="ColumnNameAttribute"/> or the member's name and typed by the
/// member's type with <see cref="VectorTypeAttribute"/> and <see cref="KeyTypeAttribute"/>.</summary>
internal static class ClassMapping<TRow> where TRow : class
{
    private static readonly Lazy<IReadOnlyList<MemberColumn<TRow>>> members = new(Discover);

    /// <summary>Every mapped member, fields first, each group in declaration order.</summary>
    /// <exception cref="InvalidOperationException">A member's type cannot be a column, or two members map to one name.</exception>
    internal static IReadOnlyList<MemberColumn<TRow>> Members => members.Value;

    /// <summary>The schema of the readable members, as <c>LoadFromEnumerable</c> gives it.</summary>
    internal static DataViewSchema ReadSchema() =>
        DataViewSchema.Create(Members.Where(m => m.CanRead).Select(m => (m.Name, m.ColumnType, DataViewSchema.Annotations.Empty)));

    private static List<MemberColumn<TRow>> Discover()
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance;
        var found = new List<MemberColumn<TRow>>();
        IEnumerable<MemberInfo> candidates = typeof(TRow).GetFields(flags).OrderBy(f => f.MetadataToken).Cast<MemberInfo>()
            .Concat(typeof(TRow).GetProperties(flags).Where(p => p.GetIndexParameters().Length == 0).OrderBy(p => p.MetadataToken));
        foreach (var member in candidates)
        {
            if (member.IsDefined(typeof(NoColumnAttribute)))
                continue;
            var column = Create(member);
            if (found.Find(f => f.Name == column.Name) is { } twin)
                throw new InvalidOperationException(
                    $"{typeof(TRow).Name}.{member.Name} and {typeof(TRow).Name}.{twin.Member.Name} both map to column '{column.Name}'.");
            found.Add(column);
        }
        return found;
    }

    private static MemberColumn<TRow> Create(MemberInfo member)
    {
        Type type = member is FieldInfo f ? f.FieldType : ((PropertyInfo)member).PropertyType;
        string name = member.GetCustomAttribute<ColumnNameAttribute>()?.Name ?? member.Name;
        var key = member.GetCustomAttribute<KeyTypeAttribute>();
        var vector = member.GetCustomAttribute<VectorTypeAttribute>();
        string where = $"{typeof(TRow).Name}.{member.Name}";

        Type? itemType = type.IsArray && type.GetArrayRank() == 1 ? type.GetElementType()
            : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(VBuffer<>) ? type.GetGenericArguments()[0]
            : null;
        if (itemType is null)
        {
            if (vector is not null)
                throw new InvalidOperationException($"{where} has [VectorType] but is {type.Name}, not an array or VBuffer.");
            if (type == typeof(string))
                return Make(typeof(TextMember<>), [typeof(TRow)], member, name, TextDataViewType.Instance);
            var scalar = Primitive(type, key, where);
            return Make(typeof(ScalarMember<,>), [typeof(TRow), type], member, name, scalar);
        }
        var item = Primitive(itemType, key, where);
        var columnType = new VectorDataViewType(item, vector?.Dims ?? []);
        var kind = type.IsArray ? typeof(ArrayMember<,>) : typeof(VBufferMember<,>);
        return Make(kind, [typeof(TRow), itemType], member, name, columnType);
    }

    private static PrimitiveDataViewType Primitive(Type type, KeyTypeAttribute? key, string where)
    {
        if (key is not null)
        {
            if (type != typeof(byte) && type != typeof(ushort) && type != typeof(uint) && type != typeof(ulong))
                throw new InvalidOperationException($"{where} has [KeyType] but is {type.Name}; a key is Byte, UInt16, UInt32 or UInt64 (usually uint).");
            return new KeyDataViewType(type, key.Count);
        }
        if (NumberDataViewType.FromRawType(type) is { } number)
            return number;
        if (type == typeof(bool))
            return BooleanDataViewType.Instance;
        if (type == typeof(ReadOnlyMemory<char>))
            return TextDataViewType.Instance;
        throw new InvalidOperationException(
            $"{where} is of type {CursorBase.TypeName(type)}, which cannot be a column: use a number, bool, string, an array of those, or mark it [NoColumn].");
    }

    private static MemberColumn<TRow> Make(Type generic, Type[] arguments, MemberInfo member, string name, DataViewType columnType) =>
        (MemberColumn<TRow>)Activator.CreateInstance(generic.MakeGenericType(arguments), member, name, columnType)!;

    /// <summary>A compiled reader of the member, or null when it cannot be read publicly.</summary>
    internal static Func<TRow, TMember>? Reader<TMember>(MemberInfo member)
    {
        if (member is PropertyInfo { GetMethod.IsPublic: not true })
            return null;
        var row = Expression.Parameter(typeof(TRow), "row");
        return Expression.Lambda<Func<TRow, TMember>>(Expression.MakeMemberAccess(row, member), row).Compile();
    }

    /// <summary>A compiled writer of the member, or null when it cannot be written publicly.</summary>
    internal static Action<TRow, TMember>? Writer<TMember>(MemberInfo member)
    {
        if (member is FieldInfo { IsInitOnly: true } or FieldInfo { IsLiteral: true } or PropertyInfo { SetMethod.IsPublic: not true })
            return null;
        var row = Expression.Parameter(typeof(TRow), "row");
        var value = Expression.Parameter(typeof(TMember), "value");
        return Expression.Lambda<Action<TRow, TMember>>(Expression.Assign(Expression.MakeMemberAccess(row, member), value), row, value).Compile();
    }
}
