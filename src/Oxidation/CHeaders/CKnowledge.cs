using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;

namespace Oxidation.CHeaders;

/// <summary>A macro used inside a struct body whose arguments hold a name and, for a struct group, members.</summary>
public sealed record CMemberMacro(string Macro, int NameArgument, int? MembersArgument);

/// <summary>The C knowledge shipped in <c>data/c-knowledge.json</c>: annotations, keywords, member macros.</summary>
public sealed class CKnowledge
{
    /// <summary>The shipped knowledge.</summary>
    public static CKnowledge Default { get; } = Load();

    /// <summary>Annotations without arguments (<c>__must_check</c>, <c>__rcu</c>, <c>__user</c>, <c>asmlinkage</c>).</summary>
    public required FrozenSet<string> Annotations { get; init; }

    /// <summary>Annotations followed by a parenthesised argument list (<c>__printf(1, 2)</c>, <c>__attribute__((…))</c>).</summary>
    public required FrozenSet<string> AnnotationsWithArguments { get; init; }

    /// <summary>Words that make a function inline.</summary>
    public required FrozenSet<string> InlineMarkers { get; init; }

    /// <summary>C keywords that can never be a declared name.</summary>
    public required FrozenSet<string> Keywords { get; init; }

    /// <summary>Words that begin a statement, never a declaration.</summary>
    public required FrozenSet<string> StatementKeywords { get; init; }

    /// <summary>Macros the kernel's bindgen run always defines (<c>__KERNEL__</c>, <c>MODULE</c>).</summary>
    public required FrozenSet<string> Defined { get; init; }

    /// <summary>Macros it never defines (<c>__ASSEMBLY__</c>, <c>__cplusplus</c>).</summary>
    public required FrozenSet<string> Undefined { get; init; }

    /// <summary>Member macros by name: <c>struct_group(NAME, MEMBERS…)</c>, <c>DECLARE_BITMAP(name, bits)</c>.</summary>
    public required FrozenDictionary<string, CMemberMacro> MemberMacros { get; init; }

    private static CKnowledge Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("c-knowledge.json")
            ?? throw new InvalidOperationException("c-knowledge.json is not embedded");
        using var doc = JsonDocument.Parse(stream);
        var root = doc.RootElement;
        FrozenSet<string> Words(string property) =>
            root.GetProperty(property).EnumerateArray().Select(e => e.GetString()!).ToFrozenSet(StringComparer.Ordinal);
        var macros = root.GetProperty("structGroups").EnumerateArray()
            .Select(e => new CMemberMacro(e.GetProperty("macro").GetString()!, e.GetProperty("name").GetInt32(), e.GetProperty("members").GetInt32()))
            .Concat(root.GetProperty("fieldMacros").EnumerateArray()
                .Select(e => new CMemberMacro(e.GetProperty("macro").GetString()!, e.GetProperty("name").GetInt32(), null)));
        return new CKnowledge
        {
            Annotations = Words("annotations"),
            AnnotationsWithArguments = Words("annotationsWithArguments"),
            InlineMarkers = Words("inlineMarkers"),
            Keywords = Words("keywords"),
            StatementKeywords = Words("statementKeywords"),
            Defined = Words("defined"),
            Undefined = Words("undefined"),
            MemberMacros = macros.ToFrozenDictionary(m => m.Macro, StringComparer.Ordinal),
        };
    }
}
