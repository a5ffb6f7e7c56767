namespace Oxidation.CHeaders;

/// <summary>Functions, structs and macros declared in a group of headers and how many of them Rust reaches.</summary>
public sealed record CoverageRow(string Name, int Headers, int Functions, int FunctionsReached, int Structs, int StructsReached, int Macros, int MacrosReached);

/// <summary>The coverage of one release: all of the closure, per header (those with any function, struct or macro), per
/// MAINTAINERS entry covering a header.</summary>
public sealed record ReleaseCoverage(string Release, CoverageRow Total, IReadOnlyList<CoverageRow> Headers, IReadOnlyList<CoverageRow> Subsystems);

/// <summary>
/// How much of the C API bindgen sees Rust reaches (issue 14). The one definition of the measure: a declaration is
/// counted once per header and name (a prototype and a stub of one function are one); it is reached when a Rust use
/// resolves to it (<c>bindings::NAME</c>, a helper wrapping it, for a struct also a field access). Pure.
/// </summary>
public static class BindingCoverage
{
    /// <summary>The coverage of <paramref name="reach"/>.</summary>
    public static ReleaseCoverage Of(ReleaseReach reach)
    {
        var reached = new HashSet<(string Header, string Kind, string Name)>();
        foreach (var u in reach.Uses)
        {
            if (u.TargetHeader is null || u.Target is null)
                continue;
            if (u.TargetKind == "field")
            {
                // struct phy_device.speed reaches struct phy_device
                var parent = u.Target[..u.Target.LastIndexOf('.')];
                var space = parent.IndexOf(' ');
                if (space > 0)
                    reached.Add((u.TargetHeader, parent[..space], parent[(space + 1)..]));
            }
            else
            {
                reached.Add((u.TargetHeader, u.TargetKind!, u.Target));
            }
        }
        var declared = reach.Declarations.Where(d => d.Kind is "function" or "struct" or "macro")
            .Select(d => (d.Header, d.Kind, d.Name)).Distinct().ToList();
        CoverageRow Row(string name, IEnumerable<(string Header, string Kind, string Name)> group)
        {
            var list = group.ToList();
            int Count(string kind) => list.Count(d => d.Kind == kind);
            int Reached(string kind) => list.Count(d => d.Kind == kind && reached.Contains(d));
            return new CoverageRow(name, list.Select(d => d.Header).Distinct().Count(),
                Count("function"), Reached("function"), Count("struct"), Reached("struct"), Count("macro"), Reached("macro"));
        }
        var headers = declared.GroupBy(d => d.Header, StringComparer.Ordinal).Select(g => Row(g.Key, g))
            .OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var subsystems = declared
            .SelectMany(d => reach.Maintainers(d.Header).Select(m => (m.Entry, d)))
            .GroupBy(x => x.Entry, StringComparer.Ordinal)
            .Select(g => Row(g.Key, g.Select(x => x.d)))
            .OrderByDescending(r => r.FunctionsReached + r.StructsReached + r.MacrosReached).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        return new ReleaseCoverage(reach.Release, Row("all headers bindgen reads", declared), headers, subsystems);
    }
}
