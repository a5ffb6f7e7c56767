using System.Text.Json;
using Oxidation.CHeaders;

namespace Oxidation.Tests.CHeaders;

public sealed class CKnowledgeTests
{
    private static readonly string DataFile = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "data", "c-knowledge.json");

    [Fact]
    public void Word_lists_have_no_duplicates_and_do_not_overlap()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(DataFile));
        foreach (var list in new[] { "annotations", "annotationsWithArguments", "inlineMarkers", "keywords", "statementKeywords", "defined", "undefined" })
        {
            var words = doc.RootElement.GetProperty(list).EnumerateArray().Select(e => e.GetString()!).ToList();
            Assert.True(words.Count == words.Distinct(StringComparer.Ordinal).Count(), $"{list} has duplicates");
            Assert.All(words, w => Assert.Matches("^[A-Za-z_][A-Za-z0-9_]*$", w));
        }
        var k = CKnowledge.Default;
        Assert.Empty(k.Annotations.Intersect(k.AnnotationsWithArguments));
        Assert.Empty(k.Annotations.Intersect(k.Keywords));
        Assert.Empty(k.Defined.Intersect(k.Undefined));
        Assert.Subset(k.Annotations.Union(k.Keywords).ToHashSet(), k.InlineMarkers.ToHashSet());
    }
}
