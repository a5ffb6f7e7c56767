namespace Oxidation.CHeaders;

/// <summary>What a C declaration declares.</summary>
public enum CDeclarationKind
{
    /// <summary>A function prototype or definition.</summary>
    Function,

    /// <summary>A struct with a body.</summary>
    Struct,

    /// <summary>A union with a body.</summary>
    Union,

    /// <summary>A member of a struct or union; <see cref="CDeclaration.Parent"/> names it.</summary>
    Field,

    /// <summary>An enum with a body.</summary>
    Enum,

    /// <summary>An enumerator; <see cref="CDeclaration.Parent"/> names its enum.</summary>
    EnumValue,

    /// <summary>A <c>#define</c>, object-like or function-like.</summary>
    Macro,

    /// <summary>A <c>typedef</c> name.</summary>
    Typedef,

    /// <summary>A variable or constant at file scope (<c>extern</c>, <c>static const</c>, a definition).</summary>
    Variable,

    /// <summary>A macro invoked at file scope as a declaration (<c>DECLARE_PER_CPU(…)</c>, <c>DEFINE_GUARD(…)</c>,
    /// <c>EXPORT_SYMBOL(…)</c>): its name is the macro's, what it declares is not known without expanding it.</summary>
    MacroUse,
}

/// <summary>A range of 1-based lines, both ends included.</summary>
public readonly record struct LineRange(int First, int Last)
{
    /// <summary>Whether <paramref name="line"/> is inside the range.</summary>
    public bool Contains(int line) => line >= First && line <= Last;

    /// <inheritdoc />
    public override string ToString() => First == Last ? $"{First}" : $"{First}-{Last}";
}

/// <summary>
/// One declaration read from a C file. <see cref="Text"/> is the declaration as written, comments removed and
/// whitespace collapsed to one line: a function's signature (without its body), a field's type and name, a macro's
/// replacement text, a typedef's whole declaration (a struct body shown as <c>{ … }</c>), an enumerator's value
/// expression (empty when implicit).
/// </summary>
public sealed record CDeclaration(CDeclarationKind Kind, string Name, int Line, LineRange Lines, string Text)
{
    /// <summary>For a field, its struct or union (<c>struct phy_device</c>, or the typedef name of an anonymous one);
    /// for an enumerator, its enum (<c>enum phy_state</c>, or <c>enum</c> when anonymous); otherwise null.</summary>
    public string? Parent { get; init; }

    /// <summary>The body of a function definition (<c>static inline</c> in a header), braces included.</summary>
    public LineRange? Body { get; init; }

    /// <summary>A function declared <c>static</c> and inline (any of the kernel's inline markers).</summary>
    public bool IsStaticInline { get; init; }

    /// <summary>A variable or function declared <c>extern</c>; a variable declared <c>const</c> (top-level qualifier
    /// or anywhere in its type).</summary>
    public bool IsExtern { get; init; }

    /// <inheritdoc cref="IsExtern" />
    public bool IsConst { get; init; }

    /// <summary>The parameters of a function-like macro (<c>...</c> and <c>args...</c> as written); null for an
    /// object-like macro and for every other kind.</summary>
    public IReadOnlyList<string>? Parameters { get; init; }

    /// <summary>An enumerator's value when it follows from integer literals and the enum's earlier values; null otherwise.</summary>
    public long? Value { get; init; }

    /// <summary>A typedef of a pointer to function.</summary>
    public bool IsFunctionPointer { get; init; }

    /// <summary>How the declaration was read when that matters: a field of a nested anonymous struct or union
    /// (flattened into its parent), a field declared by a macro, a struct named only by its typedef.</summary>
    public string? Note { get; init; }
}

/// <summary>An <c>#include</c> or <c>#include_next</c> line: <see cref="Target"/> without its delimiters; a computed
/// include (<c>#include MACRO</c>) keeps its text and is <see cref="IsComputed"/>.</summary>
public sealed record CInclude(string Target, bool Angled, bool IsNext, bool IsComputed, int Line);

/// <summary>What <see cref="CDeclarations.Parse(ReadOnlySpan{byte}, string)"/> read from one file.</summary>
public sealed record CFileDeclarations(
    string Path,
    IReadOnlyList<CDeclaration> Declarations,
    IReadOnlyList<CInclude> Includes,
    IReadOnlyList<string> Problems)
{
    /// <summary>The declarations of one kind named <paramref name="name"/>.</summary>
    public IEnumerable<CDeclaration> Named(CDeclarationKind kind, string name) =>
        Declarations.Where(d => d.Kind == kind && d.Name == name);

    /// <summary>The fields of <paramref name="parent"/> (<c>struct phy_device</c>), in order.</summary>
    public IEnumerable<CDeclaration> FieldsOf(string parent) =>
        Declarations.Where(d => d.Kind == CDeclarationKind.Field && d.Parent == parent);

    /// <summary>The enumerators of <paramref name="parent"/> (<c>enum phy_state</c>), in order.</summary>
    public IEnumerable<CDeclaration> ValuesOf(string parent) =>
        Declarations.Where(d => d.Kind == CDeclarationKind.EnumValue && d.Parent == parent);
}
