using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Oxidation.Cves;

/// <summary>The diff line that decided a class: which rule, which commit and file, and the line as the fix wrote it.</summary>
public sealed record FixDiffSignal(string Class, string Rule, string Commit, string Path, string Line)
{
    /// <summary>The evidence a classification carries: <c>fix diff COMMIT12 PATH: RULE: +LINE</c> (a moved line shows <c>±</c>).</summary>
    public string Evidence(bool moved) => $"fix diff {Commit[..Math.Min(12, Commit.Length)]} {Path}: {Rule}: \"{(moved ? "±" : "+")}{Line}\"";
}

/// <summary>
/// What a fix's diff does, as evidence of the bug class: rules from <c>data/fix-diff-rules.json</c> over the added and
/// removed lines of the C files a fix commit changed (docs/cve-classes.md, "Fix diffs as evidence"). The first rule in the
/// file's order that a line satisfies decides. Pure: takes diffs, never reads a repository.
/// </summary>
public sealed class FixDiffRules
{
    private readonly Regex _files;
    private readonly Regex _comment;
    private readonly List<Rule> _rules;

    private sealed record Rule(string Name, string Class, string Kind, Regex Pattern, Regex? Removed);

    private FixDiffRules(JsonElement root, string version, IReadOnlySet<string> classes)
    {
        Version = version;
        // Interpreted, not compiled: the rules run on the few diffs of records the text left unsure, and a compiled pattern's
        // first match pays its JIT inside the timeout (on a loaded machine that alone took more than a second).
        const RegexOptions Options = RegexOptions.CultureInvariant;
        var timeout = TimeSpan.FromSeconds(5);
        _files = new Regex(root.GetProperty("files").GetString()!, Options, timeout);
        _comment = new Regex(root.GetProperty("comment").GetString()!, Options, timeout);
        _rules = [.. root.GetProperty("rules").EnumerateArray().Select(r => new Rule(
            r.GetProperty("name").GetString()!,
            r.GetProperty("class").GetString()!,
            r.GetProperty("kind").GetString()!,
            new Regex(r.GetProperty("pattern").GetString()!, Options, timeout),
            r.TryGetProperty("removed", out var removed) ? new Regex(removed.GetString()!, Options, timeout) : null))];
        foreach (var rule in _rules)
        {
            if (!classes.Contains(rule.Class))
                throw new InvalidDataException($"fix-diff-rules.json: rule '{rule.Name}': unknown class {rule.Class}");
            if (rule.Kind is not ("added" or "added-only" or "replaced" or "moved"))
                throw new InvalidDataException($"fix-diff-rules.json: rule '{rule.Name}': unknown kind {rule.Kind}");
            if ((rule.Kind == "replaced") != (rule.Removed is not null))
                throw new InvalidDataException($"fix-diff-rules.json: rule '{rule.Name}': 'removed' goes with kind 'replaced' and only with it");
        }
    }

    /// <summary>The rules shipped inside Oxidation.</summary>
    public static FixDiffRules Default { get; } = Load();

    /// <summary>A short hash of the rules file: part of the version of a classifier that uses them.</summary>
    public string Version { get; }

    /// <summary>The rules' names and classes, in the order they are tried.</summary>
    public IEnumerable<(string Name, string Class, string Kind)> Rules => _rules.Select(r => (r.Name, r.Class, r.Kind));

    /// <summary>The first rule (in the file's order) a line of <paramref name="diff"/> satisfies, or null; with whether the line was moved.</summary>
    public (FixDiffSignal Signal, bool Moved)? Find(FixDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var files = diff.Files.Where(f => _files.IsMatch(f.Path)).Select(f => new Lines(f, _comment)).ToList();
        foreach (var rule in _rules)
        {
            foreach (var file in files)
            {
                if (Match(rule, file) is { } line)
                    return (new FixDiffSignal(rule.Class, rule.Name, diff.Commit, file.Path, line.Trim()), rule.Kind == "moved");
            }
        }
        return null;
    }

    private static string? Match(Rule rule, Lines file)
    {
        switch (rule.Kind)
        {
            case "moved":
                var removed = file.Removed.Where(l => rule.Pattern.IsMatch(l)).Select(l => l.TrimEnd()).ToHashSet(StringComparer.Ordinal);
                return file.Added.FirstOrDefault(l => removed.Contains(l.TrimEnd()));
            case "replaced":
                return file.Removed.Any(l => rule.Removed!.IsMatch(l)) ? file.New.FirstOrDefault(l => rule.Pattern.IsMatch(l)) : null;
            case "added-only":
                return file.Removed.Any(l => rule.Pattern.IsMatch(l)) ? null : file.New.FirstOrDefault(l => rule.Pattern.IsMatch(l));
            default:
                return file.New.FirstOrDefault(l => rule.Pattern.IsMatch(l));
        }
    }

    /// <summary>
    /// A file's code lines: comments left out; <see cref="New"/> are the added lines that are new code, not a line the fix
    /// only re-indented or moved (its trimmed text also removed in the file).
    /// </summary>
    private sealed class Lines
    {
        public Lines(FileDiff file, Regex comment)
        {
            Path = file.Path;
            Added = [.. file.Added.Where(l => !comment.IsMatch(l))];
            Removed = [.. file.Removed.Where(l => !comment.IsMatch(l))];
            var removed = Removed.Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
            New = [.. Added.Where(l => !removed.Contains(l.Trim()))];
        }

        public string Path { get; }

        public List<string> Added { get; }

        public List<string> Removed { get; }

        public List<string> New { get; }
    }

    private static FixDiffRules Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("fix-diff-rules.json")
            ?? throw new InvalidOperationException("fix-diff-rules.json is not embedded");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var bytes = memory.ToArray();
        var version = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))[..12];
        using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        return new FixDiffRules(doc.RootElement, version, BugClassifier.Default.Classes.ToHashSet(StringComparer.Ordinal));
    }
}
