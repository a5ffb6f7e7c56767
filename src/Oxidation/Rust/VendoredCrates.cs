using System.Text;
using System.Text.RegularExpressions;
using Oxidation.Maintainers;

namespace Oxidation.Rust;

/// <summary>
/// The one rule for a vendored crate (docs/measures.md), used by the scan (<see cref="RustAnalyzer"/>) and the history
/// engine (<c>HistoryMiner</c>): a directory right under the knowledge's <c>vendoredCrateRoot</c> (<c>rust/</c>) holding,
/// at any depth, a <c>lib.rs</c> whose SPDX licence (in its first 512 bytes) is not the kernel's. Such a crate is
/// <see cref="KernelMaintained"/> when a MAINTAINERS entry names a path inside it under F: (e.g. RUST [PIN-INIT],
/// <c>F: rust/pin-init/</c>), so kernel maintainers own it specifically; otherwise it is <see cref="ThirdParty"/>
/// (only broad entries such as RUST, <c>F: rust/</c>, cover it). The grouping adds to the rule, it does not change which
/// crates are vendored: both groups stay apart from kernel Rust (area <c>vendored</c>).
/// </summary>
public static partial class VendoredCrates
{
    /// <summary>The group of a crate maintained by kernel maintainers (a MAINTAINERS entry of its own).</summary>
    public const string KernelMaintained = "kernel-maintained";

    /// <summary>The group of a crate developed elsewhere and copied in (syn, quote, proc-macro2, 6.1's alloc).</summary>
    public const string ThirdParty = "third-party";

    /// <summary>The MAINTAINERS entry that maintains <paramref name="crate"/> (<c>rust/pin-init</c>) specifically: the first whose F: names
    /// a path inside the crate's directory; null when none does (the crate is then third-party).</summary>
    public static string? MaintainedBy(string crate, IEnumerable<MaintainersEntry> entries) =>
        entries.FirstOrDefault(e => e.Files.Any(f => f.Text.StartsWith(crate + "/", StringComparison.Ordinal)))?.Name;

    /// <summary>How much of a <c>lib.rs</c> is read for its SPDX line.</summary>
    public const int HeadBytes = 512;

    [GeneratedRegex(@"SPDX-License-Identifier:\s*(?<licence>[^\r\n*]+)")]
    private static partial Regex Spdx();

    /// <summary>The crate directory (<c>rust/alloc</c>, no trailing slash) a <c>lib.rs</c> path would make vendored, or null when the path is not a <c>lib.rs</c> inside a directory under the root.</summary>
    public static string? CandidateOf(string path, RustKnowledge knowledge)
    {
        var root = knowledge.VendoredCrateRoot;
        if (!path.StartsWith(root, StringComparison.Ordinal) || !path.EndsWith("/lib.rs", StringComparison.Ordinal))
            return null;
        var slash = path.IndexOf('/', root.Length);
        return slash <= root.Length ? null : path[..slash];
    }

    /// <summary>The licence of a <c>lib.rs</c> when it makes its crate vendored (not the kernel's), else null; <paramref name="head"/> is its first bytes.</summary>
    public static string? VendoredLicence(ReadOnlySpan<byte> head, RustKnowledge knowledge)
    {
        var text = Encoding.UTF8.GetString(head[..Math.Min(head.Length, HeadBytes)]);
        var licence = Spdx().Match(text) is { Success: true } m ? m.Groups["licence"].Value.Trim() : null;
        return licence is not null && !knowledge.KernelLicence.IsMatch(licence) ? licence : null;
    }

    /// <summary>Whether <paramref name="path"/> lies in one of the <paramref name="crates"/> (directories without trailing slash).</summary>
    public static string? CrateOf(string path, IEnumerable<string> crates) =>
        crates.FirstOrDefault(c => path.StartsWith(c + "/", StringComparison.Ordinal));
}
