using Oxidation.CHeaders;
using Oxidation.Model;

namespace Oxidation.Store;

/// <summary>Reads what a scan stored about the C side Rust reaches (issue 14) back into a <see cref="ReleaseReach"/>.</summary>
public static class ReachStore
{
    /// <summary>The releases with a stored bindgen closure, oldest scan first.</summary>
    public static List<string> Releases(OxidationDatabase db) =>
        [.. db.Query("SELECT r.release FROM releases r WHERE EXISTS (SELECT 1 FROM c_headers h WHERE h.release = r.release) ORDER BY r.scanned_at, r.release").Select(r => (string)r[0]!)];

    /// <summary>The stored reach of <paramref name="release"/>, or null when it was not scanned (or scanned by an Oxidation
    /// without issue 14, or the tree has no bindgen input). With <paramref name="headers"/>, only those headers' declarations
    /// are loaded (all a patch's impact reads: its files' declarations, and every use, helper and module use), which keeps
    /// <c>impact PATCH</c> from reading the release's whole index. MAINTAINERS is parsed on another core while the rest loads.</summary>
    public static ReleaseReach? Load(OxidationDatabase db, string release, IReadOnlyCollection<string>? headers = null)
    {
        if (!Releases(db).Contains(release))
            return null;
        static string? S(object? o) => o as string;
        static int I(object? o) => Convert.ToInt32(o, System.Globalization.CultureInfo.InvariantCulture);
        // One string, not a row per path: a release has ~86,000 files and a row each costs more than the split.
        var files = (db.Query("SELECT string_agg(path, chr(10)) FROM files WHERE release = $1", release)[0][0] as string ?? "")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var maintainers = db.Query("SELECT content FROM maintainers_files WHERE release = $1", release).FirstOrDefault()?[0] as string;
        var contacts = Task.Run(() => ReleaseReach.Contacts(maintainers, files));
        var closure = db.Query("SELECT path FROM c_headers WHERE release = $1", release).Select(r => (string)r[0]!).ToHashSet(StringComparer.Ordinal);
        const string Declarations = "SELECT header, kind, name, parent, line, first_line, last_line, text, static_inline FROM c_declarations WHERE release = $1";
        var rows = headers is null ? db.Query(Declarations, release)
            : headers.Count == 0 ? []
            : db.Query(Declarations + " AND list_contains($2, header)", release, headers.Distinct(StringComparer.Ordinal).ToList());
        var declarations = rows
            .Select(r => new CDeclarationRecord((string)r[0]!, (string)r[1]!, (string)r[2]!, S(r[3]), I(r[4]), I(r[5]), I(r[6]), (string)r[7]!, (bool)r[8]!)).ToList();
        var helpers = db.Query("SELECT name, rust_name, file, line, wraps FROM c_helpers WHERE release = $1 ORDER BY file, line", release)
            .Select(r => new CHelper((string)r[0]!, (string)r[1]!, (string)r[2]!, I(r[3]), [.. ((System.Collections.IEnumerable)r[4]!).Cast<string>()])).ToList();
        var uses = db.Query("SELECT path, line, item, via, target_kind, target, target_header, target_line, helper FROM rust_c_uses WHERE release = $1", release)
            .Select(r => new RustCUse((string)r[0]!, I(r[1]), (string)r[2]!, (string)r[3]!, S(r[4]), S(r[5]), S(r[6]), r[7] is null ? null : I(r[7]), S(r[8]))).ToList();
        var modules = db.Query("SELECT path, module FROM rust_module_uses WHERE release = $1", release)
            .Select(r => new RustModuleUse((string)r[0]!, (string)r[1]!)).ToList();
        var units = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var r in db.Query("SELECT path, unit FROM rust_files WHERE release = $1", release))
            units[(string)r[0]!] = S(r[1]);
        return new ReleaseReach(release, closure, declarations, helpers, uses, modules, units, files, contacts.GetAwaiter().GetResult());
    }

    /// <summary>
    /// The binding coverage of <paramref name="release"/> (<see cref="BindingCoverage"/>, the one definition), reading only what it
    /// needs: the closure's functions, structs and macros, the uses that resolve to a header, MAINTAINERS and the tree's
    /// directories (for get_maintainer.pl's directory patterns). Null when the release has no stored closure.
    /// </summary>
    public static ReleaseCoverage? Coverage(OxidationDatabase db, string release) =>
        Releases(db).Contains(release) ? CoverageInputs(db, release)() : null;

    /// <summary>The binding coverage of every release with a stored closure, oldest first by version. The database is read on
    /// this thread (one connection); the releases are computed in parallel.</summary>
    public static CoverageHistory CoverageHistory(OxidationDatabase db)
    {
        var inputs = Releases(db).Select(r => CoverageInputs(db, r)).ToList();
        var coverages = new ReleaseCoverage[inputs.Count];
        Parallel.For(0, inputs.Count, i => coverages[i] = inputs[i]());
        return BindingCoverage.Across(coverages);
    }

    /// <summary>Reads what <see cref="BindingCoverage.Of(string, IEnumerable{ValueTuple{string, string, string}}, IEnumerable{RustCUse}, Func{string, IReadOnlyList{MaintainersContact}})"/>
    /// needs and returns the computation, which touches the database no more.</summary>
    private static Func<ReleaseCoverage> CoverageInputs(OxidationDatabase db, string release)
    {
        static string? S(object? o) => o as string;
        var declarations = db.Query("SELECT DISTINCT header, kind, name FROM c_declarations WHERE release = $1 AND kind IN ('function', 'struct', 'macro')", release)
            .Select(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!)).ToList();
        var uses = db.Query("SELECT DISTINCT target_kind, target, target_header FROM rust_c_uses WHERE release = $1 AND target_header IS NOT NULL AND target IS NOT NULL", release)
            .Select(r => new RustCUse("", 0, "", "", S(r[0]), S(r[1]), S(r[2]), null, null)).ToList();
        // One path per directory ("drivers/net/") gives ReleaseReach.Contacts every directory, as the tree's files would.
        var directories = db.Query("SELECT DISTINCT regexp_replace(path, '[^/]*$', '') FROM files WHERE release = $1 AND contains(path, '/')", release)
            .Select(r => (string)r[0]!).ToList();
        var maintainers = db.Query("SELECT content FROM maintainers_files WHERE release = $1", release).FirstOrDefault()?[0] as string;
        return () => BindingCoverage.Of(release, declarations, uses, ReleaseReach.Contacts(maintainers, directories));
    }
}
