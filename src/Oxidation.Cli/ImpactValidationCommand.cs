using System.Text.Json;
using Oxidation.CHeaders;
using Oxidation.Git;
using Oxidation.Model;
using Oxidation.Scanning;
using Oxidation.Tree;

namespace Oxidation.Cli;

/// <summary><c>oxidation impact --repo REPO --validate</c>: impact checked against history (issue 14).</summary>
internal static class ImpactValidationCommand
{
    public static int Run(ImpactCommandOptions options)
    {
        var repository = options.Repository!;
        IReadOnlyList<CommitPatch> commits;
        try
        {
            commits = CommitPatches.Mixed(repository, options.Since, options.Until);
        }
        catch (SourceTreeException ex)
        {
            Consoles.Fail(ex.Message);
            return ExitCodes.BadInput;
        }
        var scored = new List<ValidatedCommit>();
        var problems = new List<ImpactProblem>();
        var listings = new GitTreeCache();
        foreach (var commit in commits)
        {
            UnifiedDiff diff;
            ReleaseReach reach;
            try
            {
                diff = UnifiedDiffParser.Parse(commit.Text, $"{repository}@{commit.Commit[..12]}");
                reach = Scanner.Reach(include => GitSourceTree.Open(repository, commit.Parent, listings, include), options.Parallelism);
            }
            catch (Exception ex) when (ex is PatchException or ScanException)
            {
                problems.Add(new ImpactProblem(commit.Commit, ex.Message));
                continue;
            }
            var report = Impact.OfPatch(reach, ImpactValidation.CPart(diff));
            scored.Add(ImpactValidation.Score(commit.Commit, commit.Subject, report, commit.Files.Select(f => (f.OldPath, f.NewPath))));
        }
        var validation = new ImpactValidation(scored);
        if (options.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new { Repository = repository, validation.Precision, validation.Recall, validation.Commits, Problems = problems }, ScanJson.Options));
        }
        else
        {
            var o = Console.Out;
            static string Share(double? s) => s is { } v ? $"{100 * v:0.0}%" : "-";
            o.WriteLine($"{commits.Count} commit{(commits.Count == 1 ? "" : "s")} of {repository} change include/ and rust/ together; {scored.Count} checked");
            o.WriteLine($"precision {Share(validation.Precision)} ({scored.Sum(c => c.Hits.Count)} of {scored.Sum(c => c.Predicted.Count)} Rust files named were changed), "
                + $"recall {Share(validation.Recall)} (of {scored.Sum(c => c.Changed.Count)} existing Rust files changed); {scored.Sum(c => c.Added.Count)} Rust files added, not counted");
            foreach (var c in scored)
            {
                o.WriteLine();
                o.WriteLine($"{c.Commit[..12]} {c.Subject}");
                o.WriteLine($"  {c.Declarations} declaration{(c.Declarations == 1 ? "" : "s")} touched; named {c.Predicted.Count}, changed {c.Changed.Count}, both {c.Hits.Count}");
                foreach (var p in c.Predicted.Except(c.Hits))
                    o.WriteLine($"  named, not changed: {p}");
                foreach (var p in c.Changed.Except(c.Hits))
                    o.WriteLine($"  changed, not named: {p}");
                foreach (var p in c.Added)
                    o.WriteLine($"  added: {p}");
            }
            if (problems.Count > 0)
            {
                o.WriteLine();
                o.WriteLine($"{problems.Count} not checked:");
                foreach (var p in problems)
                    o.WriteLine($"  {p.Path[..12]}: {p.Reason}");
            }
        }
        return problems.Count > 0 ? ExitCodes.Partial : ExitCodes.Ok;
    }
}
