using System.Text;
using Oxidation.Model;
using Oxidation.Rust;

namespace Oxidation.CHeaders;

/// <summary>What <see cref="RustReach.Analyze"/> reads: the bytes the scan kept and the tree's paths.</summary>
/// <param name="Headers">Tree path → bytes of every header the closure could need (<c>include/</c>, the architecture's
/// <c>include/</c>, <c>rust/</c>) and of the helpers' C files.</param>
/// <param name="Exists">Whether the tree has a file.</param>
/// <param name="RustSources">Rust path → bytes.</param>
public sealed record RustReachInputs(
    IReadOnlyDictionary<string, byte[]> Headers,
    Func<string, bool> Exists,
    IReadOnlyDictionary<string, byte[]> RustSources);

/// <summary>
/// The C side bindgen gives Rust, and where Rust reaches into it (issue 14). Resolves the bindgen include closure, indexes
/// its declarations, finds the helpers (<c>rust_helper_*</c> functions of <c>rust/helpers</c>, the
/// <c>RUST_CONST_HELPER_*</c> constants of <c>bindings_helper.h</c>) and what each wraps, then resolves every
/// <c>bindings::NAME</c> and <c>uapi::NAME</c> of the Rust sources to declarations the way bindgen names them: the C name itself, a helper's
/// name without its prefix (the kernel's <c>rust/Makefile</c> renames them), <c>enum_VALUE</c> for an enumerator (bindgen's
/// constified enums). Field uses are the <c>.name</c> accesses, not method calls, in a file that names the struct through
/// <c>bindings::</c>, when the struct has that field: cheap, and a guess when two such structs share a field name.
/// Pure: bytes in, records out.
/// </summary>
public static class RustReach
{
    /// <summary>The architecture the closure is resolved for.</summary>
    public const string Architecture = "x86";

    private const string FunctionHelper = "rust_helper_";
    /// <summary>The constants <c>bindings_helper.h</c> defines so bindgen sees a macro's value: <c>RUST_CONST_HELPER_X</c> (6.3 on,
    /// renamed to <c>X</c> by <c>rust/Makefile</c>), <c>BINDINGS_X</c> (6.1, re-exported as <c>X</c> by <c>rust/bindings/lib.rs</c>).</summary>
    private static readonly string[] ConstHelpers = ["RUST_CONST_HELPER_", "BINDINGS_"];

    /// <summary>Whether the scan must keep a file's bytes for <see cref="Analyze"/>.</summary>
    public static bool Needs(string path) =>
        (path.StartsWith("include/", StringComparison.Ordinal) && (path.EndsWith(".h", StringComparison.Ordinal) || path.EndsWith("/Kbuild", StringComparison.Ordinal)))
        || (path.StartsWith($"arch/{Architecture}/include/", StringComparison.Ordinal) && (path.EndsWith(".h", StringComparison.Ordinal) || path.EndsWith("/Kbuild", StringComparison.Ordinal)))
        || (path.StartsWith("rust/", StringComparison.Ordinal) && (path.EndsWith(".h", StringComparison.Ordinal) || path.EndsWith(".c", StringComparison.Ordinal)));

    /// <summary>The closure, its declarations, the helpers and the Rust uses.</summary>
    public static CBindingsInventory Analyze(RustReachInputs inputs)
    {
        var search = IncludeSearch.Bindgen(Architecture, p => inputs.Headers.GetValueOrDefault(p), inputs.Exists);
        var parsed = new System.Collections.Concurrent.ConcurrentDictionary<string, CFileDeclarations>(StringComparer.Ordinal);
        CFileDeclarations ParseOnce(string path) =>
            parsed.GetOrAdd(path, p => CDeclarations.Parse(inputs.Headers.TryGetValue(p, out var b) ? b : [], p));
        // Includes come from the same parse the index uses: every header is lexed once.
        var closure = new IncludeResolver(search, inputs.Exists, p => inputs.Headers.ContainsKey(p) ? ParseOnce(p).Includes : []).Resolve(IncludeSearch.BindgenRoots);
        var indexed = closure.Headers.Where(h => !h.IsGenericWrapper && inputs.Headers.ContainsKey(h.Path)).ToList();
        Parallel.ForEach(indexed, h => ParseOnce(h.Path));
        var index = new DeclarationIndex(indexed.Select(h => parsed[h.Path]));

        var helpers = Helpers(inputs, index, parsed);
        var byRustName = helpers.GroupBy(h => h.RustName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var enumerators = new Dictionary<string, List<IndexedDeclaration>>(StringComparer.Ordinal);
        foreach (var header in index.Headers)
        {
            foreach (var d in parsed[header].Declarations.Where(d => d.Kind == CDeclarationKind.EnumValue && d.Parent is { } p && p.StartsWith("enum ", StringComparison.Ordinal)))
            {
                var key = d.Parent!["enum ".Length..] + "_" + d.Name;
                if (!enumerators.TryGetValue(key, out var list))
                    enumerators[key] = list = [];
                list.Add(new IndexedDeclaration(header, d));
            }
        }

        var uses = new List<RustCUse>();
        var moduleUses = new List<RustModuleUse>();
        foreach (var (path, source) in inputs.RustSources.OrderBy(p => p.Key, StringComparer.Ordinal))
            Uses(path, source, index, byRustName, enumerators, uses, moduleUses);

        var declarations = indexed.SelectMany(h => parsed[h.Path].Declarations.Select(d => Record(h.Path, d))).ToList();
        return new CBindingsInventory(
            Architecture,
            [.. closure.MissingRoots],
            [.. closure.Headers.Select(h => new ClosureHeader(h.Path, h.IncludedBy, h.Line, h.Depth, h.IsGenericWrapper))],
            [.. closure.Unresolved.Select(u => new UnresolvedHeader(u.Target, u.IncludedBy, u.Line, u.Reason.ToString().ToLowerInvariant()))],
            [.. declarations.GroupBy(d => d.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new DeclarationTotal(g.Key, g.Count()))],
            [.. helpers.Select(h => h.Record)],
            uses,
            moduleUses)
        {
            Index = declarations,
        };
    }

    /// <summary>The kind as stored and shown: <c>function</c>, <c>enum_value</c>, <c>macro_use</c>.</summary>
    public static string KindName(CDeclarationKind kind) => kind switch
    {
        CDeclarationKind.EnumValue => "enum_value",
        CDeclarationKind.MacroUse => "macro_use",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static CDeclarationRecord Record(string header, CDeclaration d) =>
        new(header, KindName(d.Kind), d.Name, d.Parent, d.Line, d.Lines.First, d.Lines.Last, d.Text, d.IsStaticInline);

    private sealed record Helper(string RustName, CHelper Record, IReadOnlyList<IndexedDeclaration> Wraps);

    private static List<Helper> Helpers(RustReachInputs inputs, DeclarationIndex index, System.Collections.Concurrent.ConcurrentDictionary<string, CFileDeclarations> parsed)
    {
        var helpers = new List<Helper>();
        IReadOnlyList<IndexedDeclaration> Wrapped(string name) =>
            [.. index.Functions(name), .. index.Macros(name), .. index.Variables(name)];
        foreach (var (path, bytes) in inputs.Headers.Where(h => h.Key.StartsWith("rust/", StringComparison.Ordinal)).OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            var file = path.EndsWith(".c", StringComparison.Ordinal) ? CDeclarations.Parse(bytes, path) : parsed.GetValueOrDefault(path) ?? CDeclarations.Parse(bytes, path);
            var lines = path.EndsWith(".c", StringComparison.Ordinal) ? Encoding.UTF8.GetString(bytes).Split('\n') : [];
            foreach (var d in file.Declarations)
            {
                if (d.Kind == CDeclarationKind.Function && d.Name.StartsWith(FunctionHelper, StringComparison.Ordinal) && d.Body is { } body && lines.Length > 0)
                {
                    // What the body calls or names that the closure declares: usually the one function or macro wrapped.
                    var text = string.Join('\n', lines[(body.First - 1)..Math.Min(body.Last, lines.Length)]);
                    var names = Identifiers(text).Where(n => !n.StartsWith(FunctionHelper, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal)
                        .Where(n => Wrapped(n).Count > 0).ToList();
                    var wraps = names.SelectMany(Wrapped).ToList();
                    helpers.Add(new Helper(d.Name[FunctionHelper.Length..], new CHelper(d.Name, d.Name[FunctionHelper.Length..], path, d.Line, names), wraps));
                }
                else if (d.Kind == CDeclarationKind.Variable && path == IncludeSearch.BindgenRoots[0] && ConstHelpers.FirstOrDefault(p => d.Name.StartsWith(p, StringComparison.Ordinal)) is { } prefix)
                {
                    var name = d.Name[prefix.Length..];
                    var eq = d.Text.IndexOf('=');
                    var names = eq < 0 ? [name] : Identifiers(d.Text[(eq + 1)..]).Distinct(StringComparer.Ordinal).Where(n => Wrapped(n).Count > 0).ToList();
                    helpers.Add(new Helper(name, new CHelper(d.Name, name, path, d.Line, names), [.. names.SelectMany(Wrapped)]));
                }
            }
        }
        return helpers;
    }

    private static IEnumerable<string> Identifiers(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!(char.IsAsciiLetter(text[i]) || text[i] == '_') || (i > 0 && (char.IsAsciiLetterOrDigit(text[i - 1]) || text[i - 1] == '_')))
                continue;
            var end = i;
            while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
                end++;
            yield return text[i..end];
            i = end;
        }
    }

    private static void Uses(
        string path, byte[] source, DeclarationIndex index, Dictionary<string, Helper> helpers,
        Dictionary<string, List<IndexedDeclaration>> enumerators, List<RustCUse> uses, List<RustModuleUse> moduleUses)
    {
        var s = source.AsSpan();
        var code = RustLexer.Tokenize(source).Where(t => !t.IsComment).ToList();
        var structs = new HashSet<string>(StringComparer.Ordinal);
        var modules = new SortedSet<string>(StringComparer.Ordinal);
        // One use per line, item and declaration: `bindings::x = bindings::x { … }` and
        // `lim.logical_block_size = self.logical_block_size` use the C declaration once on that line.
        var seen = new HashSet<RustCUse>();
        void Add(RustCUse use)
        {
            if (seen.Add(use))
                uses.Add(use);
        }
        for (var i = 0; i + 3 < code.Count; i++)
        {
            if (code[i].Is(s, "kernel"u8) && code[i + 1].IsPunct(s, ':') && code[i + 2].IsPunct(s, ':') && (i == 0 || !code[i - 1].IsPunct(s, ':')))
            {
                if (code[i + 3].Kind == TokenKind.Ident)
                {
                    modules.Add(Encoding.UTF8.GetString(code[i + 3].Text(s)));
                }
                else if (code[i + 3].IsPunct(s, '{'))
                {
                    // use kernel::{a, b::c, d}: the first name of each path at depth one.
                    var depth = 0;
                    for (var j = i + 3; j < code.Count; j++)
                    {
                        if (code[j].IsPunct(s, '{'))
                            depth++;
                        else if (code[j].IsPunct(s, '}') && --depth == 0)
                            break;
                        else if (depth == 1 && code[j].Kind == TokenKind.Ident && (code[j - 1].IsPunct(s, '{') || code[j - 1].IsPunct(s, ',')))
                            modules.Add(Encoding.UTF8.GetString(code[j].Text(s)));
                    }
                }
            }
            var crateName = code[i].Is(s, "bindings"u8) ? "bindings" : code[i].Is(s, "uapi"u8) ? "uapi" : null;
            if (crateName is null || !code[i + 1].IsPunct(s, ':') || !code[i + 2].IsPunct(s, ':') || code[i + 3].Kind != TokenKind.Ident)
                continue;
            var qualified = i >= 2 && code[i - 1].IsPunct(s, ':') && code[i - 2].IsPunct(s, ':');
            if (qualified && !(i >= 3 && (code[i - 3].Is(s, "kernel"u8) || code[i - 3].Is(s, "crate"u8))))
                continue;
            var item = Encoding.UTF8.GetString(code[i + 3].Text(s));
            var line = code[i + 3].Line;
            if (helpers.TryGetValue(item, out var helper))
            {
                if (helper.Wraps.Count == 0)
                    Add(new RustCUse(path, line, item, "helper", null, null, null, null, helper.Record.Name));
                foreach (var d in helper.Wraps)
                    Add(Use(path, line, item, "helper", d, helper.Record.Name));
                continue;
            }
            var targets = index.FindAny(item).Where(d => d.Kind is not (CDeclarationKind.Field or CDeclarationKind.MacroUse)).ToList();
            if (targets.Count == 0 && enumerators.TryGetValue(item, out var values))
                targets = values;
            if (targets.Count == 0)
                Add(new RustCUse(path, line, item, crateName, null, null, null, null, null));
            foreach (var d in targets)
            {
                Add(Use(path, line, item, crateName, d, null));
                if (d.Kind is CDeclarationKind.Struct or CDeclarationKind.Union)
                    structs.Add($"{(d.Kind == CDeclarationKind.Struct ? "struct" : "union")} {d.Declaration.Name}");
                else if (d.Kind == CDeclarationKind.Typedef)
                    structs.Add(d.Declaration.Name);
            }
        }
        if (!path.StartsWith("rust/", StringComparison.Ordinal))
            moduleUses.AddRange(modules.Select(m => new RustModuleUse(path, m)));
        if (structs.Count == 0)
            return;
        for (var i = 1; i + 1 < code.Count; i++)
        {
            if (!code[i].IsPunct(s, '.') || code[i - 1].IsPunct(s, '.') || code[i + 1].Kind != TokenKind.Ident)
                continue;
            if (i + 2 < code.Count && (code[i + 2].IsPunct(s, '(') || code[i + 2].IsPunct(s, '.') && i + 3 < code.Count && code[i + 3].IsPunct(s, '.')))
                continue;
            var field = Encoding.UTF8.GetString(code[i + 1].Text(s));
            foreach (var parent in structs.Order(StringComparer.Ordinal))
            {
                foreach (var d in index.Field(parent, field))
                    Add(Use(path, code[i + 1].Line, field, "field", d, null));
            }
        }
    }

    private static RustCUse Use(string path, int line, string item, string via, IndexedDeclaration d, string? helper) =>
        new(path, line, item, via, KindName(d.Kind), d.Declaration.Parent is { } p && d.Kind == CDeclarationKind.Field ? $"{p}.{d.Declaration.Name}" : d.Declaration.Name, d.Header, d.Line, helper);
}
