namespace Oxidation.CHeaders;

/// <summary>A declaration and the header it is in.</summary>
public sealed record IndexedDeclaration(string Header, CDeclaration Declaration)
{
    /// <inheritdoc cref="CDeclaration.Kind" />
    public CDeclarationKind Kind => Declaration.Kind;

    /// <inheritdoc cref="CDeclaration.Line" />
    public int Line => Declaration.Line;
}

/// <summary>
/// The declarations of a set of headers (the bindgen include closure), by name. C keeps struct, union and enum tags
/// apart from ordinary names, and so does the index: <see cref="Struct"/> takes <c>phy_device</c>, <see cref="Functions"/>
/// <c>kmalloc</c>. A name can have several declarations (a prototype and a <c>static inline</c> stub in two branches of an
/// <c>#ifdef</c>, an architecture's and a generic header's); every one is kept, in closure order.
/// </summary>
public sealed class DeclarationIndex
{
    private static readonly IReadOnlyList<IndexedDeclaration> None = [];
    private readonly Dictionary<(CDeclarationKind, string), List<IndexedDeclaration>> _byName = [];
    private readonly Dictionary<(string, string), List<IndexedDeclaration>> _fields = [];

    /// <summary>Indexes <paramref name="files"/> in the order given.</summary>
    public DeclarationIndex(IEnumerable<CFileDeclarations> files)
    {
        var headers = new List<string>();
        foreach (var file in files)
        {
            headers.Add(file.Path);
            foreach (var d in file.Declarations)
            {
                var entry = new IndexedDeclaration(file.Path, d);
                Add(_byName, (d.Kind, d.Name), entry);
                if (d.Kind == CDeclarationKind.Field && d.Parent is not null)
                    Add(_fields, (d.Parent, d.Name), entry);
                Count++;
            }
        }
        Headers = headers;
    }

    /// <summary>Parses every header of <paramref name="closure"/> that <paramref name="read"/> has (the generic wrappers
    /// are virtual and hold no declarations) on all cores, and indexes them in closure order.</summary>
    public static DeclarationIndex Build(IncludeClosure closure, Func<string, byte[]?> read)
    {
        var parsed = new CFileDeclarations?[closure.Headers.Count];
        Parallel.For(0, parsed.Length, i =>
        {
            var header = closure.Headers[i];
            if (!header.IsGenericWrapper && read(header.Path) is { } bytes)
                parsed[i] = CDeclarations.Parse(bytes, header.Path);
        });
        return new DeclarationIndex(parsed.OfType<CFileDeclarations>());
    }

    /// <summary>The headers indexed, in order.</summary>
    public IReadOnlyList<string> Headers { get; }

    /// <summary>How many declarations the index holds.</summary>
    public int Count { get; }

    /// <summary>Every declaration of <paramref name="kind"/> named <paramref name="name"/>.</summary>
    public IReadOnlyList<IndexedDeclaration> Find(CDeclarationKind kind, string name) =>
        _byName.TryGetValue((kind, name), out var list) ? list : None;

    /// <summary>Every declaration named <paramref name="name"/>, whatever its kind (fields are found by their own name).</summary>
    public IEnumerable<IndexedDeclaration> FindAny(string name) =>
        System.Enum.GetValues<CDeclarationKind>().SelectMany(k => Find(k, name));

    /// <summary>Function prototypes and definitions named <paramref name="name"/>.</summary>
    public IReadOnlyList<IndexedDeclaration> Functions(string name) => Find(CDeclarationKind.Function, name);

    /// <summary>Structs with a body tagged <paramref name="tag"/> (or anonymous ones named by that typedef).</summary>
    public IReadOnlyList<IndexedDeclaration> Struct(string tag) => Find(CDeclarationKind.Struct, tag);

    /// <summary>Unions with a body tagged <paramref name="tag"/>.</summary>
    public IReadOnlyList<IndexedDeclaration> Union(string tag) => Find(CDeclarationKind.Union, tag);

    /// <summary>The field <paramref name="field"/> of <paramref name="parent"/> (<c>struct phy_device</c>, <c>union x</c>,
    /// or a typedef name for an anonymous struct); nested members are named with dots (<c>named.a</c>).</summary>
    public IReadOnlyList<IndexedDeclaration> Field(string parent, string field) =>
        _fields.TryGetValue((parent, field), out var list) ? list : None;

    /// <summary>Enums with a body tagged <paramref name="tag"/>.</summary>
    public IReadOnlyList<IndexedDeclaration> Enum(string tag) => Find(CDeclarationKind.Enum, tag);

    /// <summary>Enumerators named <paramref name="name"/>.</summary>
    public IReadOnlyList<IndexedDeclaration> EnumValue(string name) => Find(CDeclarationKind.EnumValue, name);

    /// <summary><c>#define</c>s of <paramref name="name"/>.</summary>
    public IReadOnlyList<IndexedDeclaration> Macros(string name) => Find(CDeclarationKind.Macro, name);

    /// <summary>Typedefs of <paramref name="name"/>.</summary>
    public IReadOnlyList<IndexedDeclaration> Typedefs(string name) => Find(CDeclarationKind.Typedef, name);

    /// <summary>File-scope variables and constants named <paramref name="name"/>.</summary>
    public IReadOnlyList<IndexedDeclaration> Variables(string name) => Find(CDeclarationKind.Variable, name);

    private static void Add<TKey>(Dictionary<TKey, List<IndexedDeclaration>> map, TKey key, IndexedDeclaration entry)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
            map[key] = list = [];
        list.Add(entry);
    }
}
