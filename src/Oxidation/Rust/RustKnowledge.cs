using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Oxidation.Rust;

/// <summary>A rule placing a Rust file in an area: a path prefix or a regular expression.</summary>
public sealed record AreaRule(string Area, string? Prefix, Regex? Pattern)
{
    /// <summary>Whether the rule takes <paramref name="path"/>.</summary>
    public bool Matches(string path) =>
        Prefix is not null ? path.StartsWith(Prefix, StringComparison.Ordinal) : Pattern!.IsMatch(path);
}

/// <summary>The Rust knowledge shipped in <c>data/rust-knowledge.json</c>, compiled once.</summary>
public sealed class RustKnowledge
{
    /// <summary>The shipped knowledge.</summary>
    public static RustKnowledge Default { get; } = Load();

    /// <summary>Area rules in order.</summary>
    public required IReadOnlyList<AreaRule> Areas { get; init; }

    /// <summary>
    /// The kernel's Rust directory (<c>rust/</c>, with the slash): the kernel crate, its macros and bindings, and the
    /// vendored crates. A history commit touching it is a Rust commit; the unit macros are learned from files under it.
    /// </summary>
    public required string RustDirectory { get; init; }

    /// <summary>Whether <paramref name="path"/> is under <see cref="RustDirectory"/>.</summary>
    public bool InRustDirectory(string path) => path.StartsWith(RustDirectory, StringComparison.Ordinal);

    /// <summary>The directory under which third-party crates are vendored.</summary>
    public required string VendoredCrateRoot { get; init; }

    /// <summary>A crate whose root file's SPDX line matches this is kernel code, not vendored.</summary>
    public required Regex KernelLicence { get; init; }

    /// <summary>The proc macro that declares a module (<c>module!</c>).</summary>
    public required string UnitProcMacro { get; init; }

    /// <summary>The marker of a safety comment.</summary>
    public required string SafetyMarker { get; init; }

    /// <summary>A safety comment that only says TODO.</summary>
    public required Regex SafetyTodo { get; init; }

    /// <summary>A <c># Safety</c> heading in a doc comment line.</summary>
    public required Regex SafetySection { get; init; }

    /// <summary>Words in a prompt or help that mark a unit experimental.</summary>
    public required Regex Experimental { get; init; }

    /// <summary>Phrases in a Kconfig prompt or help that say a Rust unit re-implements a C driver; group <c>what</c> names it.</summary>
    public required IReadOnlyList<Regex> CounterpartCues { get; init; }

    /// <summary>Words ignored when matching a cue's <c>what</c> against C prompts.</summary>
    public required IReadOnlySet<string> CounterpartStopWords { get; init; }

    /// <summary>Fenced code block languages in doc comments that are not Rust.</summary>
    public required IReadOnlySet<string> NonRustFences { get; init; }

    /// <summary>A commit subject saying it fixes the Rust build (usually after a C change).</summary>
    public required Regex RustBuildFix { get; init; }

    /// <summary>The area of a file outside vendored crates.</summary>
    public string AreaOf(string path) => Areas.First(r => r.Matches(path)).Area;

    private static RustKnowledge Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("rust-knowledge.json")
            ?? throw new InvalidOperationException("rust-knowledge.json is not embedded");
        using var doc = JsonDocument.Parse(stream);
        var root = doc.RootElement;
        static Regex Compile(string pattern) => new(pattern, RegexOptions.CultureInvariant | RegexOptions.Multiline);
        return new RustKnowledge
        {
            Areas = [.. root.GetProperty("areas").EnumerateArray().Select(a => new AreaRule(
                a.GetProperty("area").GetString()!,
                a.TryGetProperty("prefix", out var p) ? p.GetString() : null,
                a.TryGetProperty("pattern", out var r) ? Compile(r.GetString()!) : null))],
            RustDirectory = root.GetProperty("rustDirectory").GetString()!,
            VendoredCrateRoot = root.GetProperty("vendoredCrateRoot").GetString()!,
            KernelLicence = Compile(root.GetProperty("kernelLicencePattern").GetString()!),
            UnitProcMacro = root.GetProperty("unitProcMacro").GetString()!,
            SafetyMarker = root.GetProperty("safetyMarker").GetString()!,
            SafetyTodo = Compile(root.GetProperty("safetyTodoPattern").GetString()!),
            SafetySection = Compile(root.GetProperty("safetySectionPattern").GetString()!),
            Experimental = Compile(root.GetProperty("experimentalPattern").GetString()!),
            CounterpartCues = [.. root.GetProperty("counterpartCues").EnumerateArray().Select(e => Compile(e.GetString()!))],
            CounterpartStopWords = root.GetProperty("counterpartStopWords").EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.OrdinalIgnoreCase),
            RustBuildFix = Compile(root.GetProperty("rustBuildFixPattern").GetString()!),
            NonRustFences = root.GetProperty("nonRustFences").EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.OrdinalIgnoreCase),
        };
    }
}
