using System.CommandLine;
using Oxidation.Cves;
using Oxidation.Learning;

namespace Oxidation.Cli;

/// <summary>
/// The classifier <c>cves import</c> and <c>cves classify</c> use, resolved once from the options: the hybrid (rules
/// where certain, the learned model for the rest) of the embedded model or of <c>--model FILE</c>, or the rules alone
/// with <c>--rules-only</c>. A model file that cannot be used is an error naming it, never a silent fall back to the rules.
/// </summary>
internal static class CveClassifiers
{
    public static Option<bool> RulesOnly { get; } = new("--rules-only") { Description = "Classify with the rules alone (data/bug-classes.json), not the learned model" };

    public static Option<string?> Model { get; } = new("--model") { Description = "A model file written by scripts/train-cve-model.sh (default: the one shipped inside Oxidation, data/cve-model/model.zip)" };

    public static Option<string?> Repo { get; } = new("--repo")
    {
        Description = "A kernel clone (work tree or bare) holding the records' fix commits: where the text leaves the class unsure (low confidence), "
            + "what the fix's diff does (an added NULL check, bounds check, free, lock, zeroing; data/fix-diff-rules.json) decides. "
            + "Records whose fix is not in the clone are classified from their text and listed",
    };

    /// <summary>
    /// The clone of <c>--repo</c>, or null when not asked; false after writing the error (not a directory, not a git
    /// repository: exit 2, as any bad input).
    /// </summary>
    public static bool TryOpenClone(ParseResult parse, out Git.FixDiffReader? clone, out int exit)
    {
        clone = null;
        exit = ExitCodes.Ok;
        if (parse.GetValue(Repo) is not { } path)
            return true;
        try
        {
            clone = Git.FixDiffReader.Open(path);
            return true;
        }
        catch (Tree.SourceTreeException ex)
        {
            Consoles.Fail($"--repo {ex.Message}");
            exit = ExitCodes.BadInput;
            return false;
        }
    }

    /// <summary>The text classifier with the clone's fix diffs as evidence, or the text classifier alone without a clone.</summary>
    public static ICveClassifier WithFixDiffs(ICveClassifier text, Git.FixDiffReader? clone) =>
        clone is null ? text : new FixDiffClassifier(text, clone, FixDiffRules.Default, BugClassifier.Default);

    /// <summary>The classifier the options ask for, or null after writing the error, with its exit code in <paramref name="exit"/>.</summary>
    public static ICveClassifier? Resolve(ParseResult parse, out int exit)
    {
        exit = ExitCodes.Ok;
        var model = parse.GetValue(Model);
        if (parse.GetValue(RulesOnly))
        {
            if (model is not null)
            {
                Consoles.Fail("--rules-only and --model exclude each other");
                exit = ExitCodes.BadInput;
                return null;
            }
            return BugClassifier.Default;
        }
        try
        {
            return model is null ? ModelClassifier.Embedded() : ModelClassifier.FromFile(model);
        }
        catch (CveModelException ex)
        {
            Consoles.Fail(ex.Message);
            exit = ExitCodes.Database;
            return null;
        }
    }
}
