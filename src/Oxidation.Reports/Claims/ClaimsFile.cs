using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Oxidation.Reports.Claims;

/// <summary>
/// One claim as written: its text, the query that measures it and the outcome it expects. <c>Line</c> is the 1-based
/// line of the claim in its file; <c>Problem</c> why it cannot be evaluated (syntax, unknown query, wrong type), or null.
/// </summary>
public sealed record Claim(string Id, string Text, int Line, string? Release, IClaimQuery? Query, Expectation? Expect, string? Problem);

/// <summary>A claims file (docs/claims.md): claims parsed one by one, so one bad claim does not hide the others.</summary>
public sealed partial class ClaimsFile
{
    private ClaimsFile(string path, IReadOnlyList<Claim> claims)
    {
        Path = path;
        Claims = WithUniqueIds(claims);
    }

    /// <summary>Where the claims came from (a path, or the name of the shipped file).</summary>
    public string Path { get; }

    /// <summary>The claims in file order, the invalid ones included with their <see cref="Claim.Problem"/>.</summary>
    public IReadOnlyList<Claim> Claims { get; }

    /// <summary>The claims shipped with Oxidation (<c>examples/claims/state-of-rust.yaml</c>).</summary>
    public static ClaimsFile Shipped()
    {
        using var stream = typeof(ClaimsFile).Assembly.GetManifestResourceStream("state-of-rust.yaml")
            ?? throw new InvalidOperationException("state-of-rust.yaml is not embedded");
        using var reader = new StreamReader(stream);
        return Parse("examples/claims/state-of-rust.yaml", reader.ReadToEnd());
    }

    /// <summary>Reads and parses a claims file; a missing file throws <see cref="ClaimsException"/>.</summary>
    public static ClaimsFile Load(string path)
    {
        if (Directory.Exists(path))
            throw new ClaimsException($"{path}: is a directory, not a claims file");
        if (!File.Exists(path))
            throw new ClaimsException($"{path}: no such file");
        return Parse(path, File.ReadAllText(path));
    }

    /// <summary>
    /// Parses claims. When the whole file is not valid YAML, each claim (each item of the <c>claims:</c> list) is parsed
    /// on its own, so a syntax error costs only the claim it is in; a file with no claims list throws <see cref="ClaimsException"/>.
    /// </summary>
    public static ClaimsFile Parse(string path, string text)
    {
        try
        {
            var root = LoadYaml(text);
            if (root is null)
                throw new ClaimsException($"{path}: empty claims file");
            if (root is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode("claims"), out var list))
                throw new ClaimsException($"{path}:{root.Start.Line}: expected a mapping with a 'claims:' list");
            if (list is not YamlSequenceNode items)
                throw new ClaimsException($"{path}:{list.Start.Line}: 'claims' must be a list");
            return new ClaimsFile(path, [.. items.Children.Select((n, i) => ParseClaim(n, i, 0))]);
        }
        catch (YamlException ex)
        {
            return Recover(path, text, ex);
        }
    }

    /// <summary>
    /// Loads the first document. YamlDotNet's scanner fails with <see cref="InvalidOperationException"/> (or, for an event it
    /// cannot load, <see cref="ArgumentException"/>) rather than a
    /// syntax error on some unclosed flow collections (<c>path: [unclosed</c> followed by more lines); that is turned into
    /// the <see cref="YamlException"/> it should have been, at the last node read, so recovery treats it like any other.
    /// </summary>
    private static YamlNode? LoadYaml(string text)
    {
        Screen(text);
        var parser = new Parser(new StringReader(text));
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
        }
        catch (InvalidOperationException)
        {
            // The last event read is where the unclosed collection began.
            var at = parser.Current?.Start ?? Mark.Empty;
            throw new SyntaxErrorException(at, at, "a flow collection is not closed (an unclosed '[' or '{')");
        }
        catch (ArgumentException)
        {
            // YamlStream.Load meets an event it cannot build a node from (found by the fuzz test on the shipped file with
            // the coverage claims): a syntax error at that event too, never a crash.
            var at = parser.Current?.Start ?? Mark.Empty;
            throw new SyntaxErrorException(at, at, "a YAML construct a claims file cannot hold here");
        }
        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }

    /// <summary>The deepest nesting of collections a claims file may have; a claim needs four or five.</summary>
    private const int MaxDepth = 64;

    /// <summary>
    /// Reads the text's events once before the representation model is built, refusing what a claims file never needs
    /// and what would overflow the stack in YamlDotNet's recursive model (found by the claims fuzz test: an alias used as
    /// a mapping key sent <c>YamlAliasNode.Equals</c> into endless recursion; a stack overflow cannot be caught and ends
    /// the process): aliases, and collections nested deeper than <see cref="MaxDepth"/>.
    /// </summary>
    private static void Screen(string text)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case AnchorAlias alias:
                        throw new SyntaxErrorException(alias.Start, alias.End, "aliases (*name) are not allowed in a claims file");
                    case MappingStart or SequenceStart when ++depth > MaxDepth:
                        throw new SyntaxErrorException(parser.Current.Start, parser.Current.End, $"collections nested deeper than {MaxDepth}");
                    case MappingEnd or SequenceEnd:
                        depth--;
                        break;
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Left to LoadYaml, which names the unclosed collection.
        }
        catch (ArgumentException)
        {
            // YamlDotNet's scanner throws this on an escape such as "\ud800" that names half a surrogate pair (found by the fuzz test).
            var at = parser.Current?.End ?? Mark.Empty;
            throw new SyntaxErrorException(at, at, "an escape in a quoted string is not a valid character");
        }
    }

    [GeneratedRegex(@"^(\s*)-\s")]
    private static partial Regex ItemStart();

    /// <summary>Parses the items of the claims list one at a time after a syntax error in the file.</summary>
    private static ClaimsFile Recover(string path, string text, YamlException error)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var claimsLine = Array.FindIndex(lines, l => l.TrimEnd() == "claims:");
        if (claimsLine < 0)
            throw new ClaimsException($"{path}:{error.Start.Line}:{error.Start.Column}: {Reason(error)}");
        var starts = new List<int>();
        string? indent = null;
        for (var i = claimsLine + 1; i < lines.Length; i++)
        {
            var m = ItemStart().Match(lines[i]);
            if (!m.Success)
                continue;
            indent ??= m.Groups[1].Value;
            if (m.Groups[1].Value == indent)
                starts.Add(i);
        }
        if (starts.Count == 0)
            throw new ClaimsException($"{path}:{error.Start.Line}:{error.Start.Column}: {Reason(error)}");
        var claims = new List<Claim>();
        for (var k = 0; k < starts.Count; k++)
        {
            var end = k + 1 < starts.Count ? starts[k + 1] : lines.Length;
            var chunk = string.Join('\n', lines[starts[k]..end]);
            try
            {
                var node = LoadYaml(chunk) as YamlSequenceNode;
                if (node is null || node.Children.Count != 1)
                {
                    claims.Add(Invalid(IdNear(chunk, k), starts[k] + 1, "not a single claim"));
                    continue;
                }
                claims.Add(ParseClaim(node.Children[0], k, starts[k]));
            }
            catch (YamlException ex)
            {
                claims.Add(Invalid(IdNear(chunk, k), starts[k] + (int)ex.Start.Line, $"YAML syntax error at column {ex.Start.Column}: {Reason(ex)}"));
            }
        }
        return new ClaimsFile(path, claims);
    }

    /// <summary>
    /// A claim whose id an earlier claim already uses is invalid (docs/claims.md): verdicts, the report and
    /// data/claims.json are keyed by id, and two answers under one id would hide one. The first claim still counts.
    /// </summary>
    private static List<Claim> WithUniqueIds(IReadOnlyList<Claim> claims)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var unique = new List<Claim>(claims.Count);
        foreach (var claim in claims)
        {
            if (!first.TryAdd(claim.Id, claim.Line) && claim.Problem is null)
                unique.Add(claim with { Query = null, Expect = null, Problem = $"duplicate id (first used at line {first[claim.Id]})" });
            else
                unique.Add(claim);
        }
        return unique;
    }

    private static string Reason(YamlException ex) => (ex.InnerException?.Message ?? ex.Message).Split('\n')[0];

    private static string IdNear(string chunk, int index)
    {
        var m = Regex.Match(chunk, @"\bid:\s*['""]?([^'""\n]+)");
        return m.Success ? m.Groups[1].Value.Trim() : $"claim {index + 1}";
    }

    private static Claim Invalid(string id, int line, string problem) => new(id, "", line, null, null, null, problem);

    private static Claim ParseClaim(YamlNode node, int index, int lineOffset)
    {
        var line = (int)node.Start.Line + lineOffset;
        if (node is not YamlMappingNode map)
            return Invalid($"claim {index + 1}", line, "a claim must be a mapping with id, claim, query and expect");
        string? Scalar(string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;
        var id = Scalar("id") ?? $"claim {index + 1}";
        var text = Scalar("claim");
        if (string.IsNullOrWhiteSpace(text))
            return Invalid(id, line, "missing 'claim' (the statement in words)");
        foreach (var key in map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value))
        {
            if (key is not ("id" or "claim" or "release" or "query" or "expect" or "source" or "note"))
                return new Claim(id, text, line, null, null, null, $"unknown key '{key}' (known: id, claim, release, query, expect, source, note)");
        }
        var release = Scalar("release");
        try
        {
            if (!map.Children.TryGetValue(new YamlScalarNode("query"), out var queryNode))
                throw new ClaimFormatException(line, "missing 'query'");
            if (!map.Children.TryGetValue(new YamlScalarNode("expect"), out var expectNode))
                throw new ClaimFormatException(line, "missing 'expect'");
            var query = QueryForms.Parse(queryNode, lineOffset);
            var expect = Expectation.Parse(expectNode, lineOffset);
            return new Claim(id, text, line, release, query, expect, null);
        }
        catch (ClaimFormatException ex)
        {
            return new Claim(id, text, ex.Line == 0 ? line : ex.Line, release, null, null, ex.Message);
        }
    }
}

/// <summary>A claims file that cannot be read at all: the message names the file and line.</summary>
public sealed class ClaimsException(string message) : Exception(message);

/// <summary>A claim that is not well formed; <see cref="Line"/> is where.</summary>
public sealed class ClaimFormatException(int line, string message) : Exception(message)
{
    /// <summary>The 1-based line of the problem.</summary>
    public int Line { get; } = line;

    internal static int LineOf(YamlNode node, int offset) => (int)node.Start.Line + offset;

    internal static double Number(YamlNode node, int offset, string what)
    {
        if (node is YamlScalarNode s && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return d;
        throw new ClaimFormatException(LineOf(node, offset), $"{what} must be a number, not {Describe(node)}");
    }

    internal static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s => $"'{s.Value}'",
        YamlSequenceNode => "a list",
        _ => "a mapping",
    };
}
