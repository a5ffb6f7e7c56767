using Oxidation.History;
using Oxidation.Releases;

namespace Oxidation.Git.Tests;

public sealed class HistoryPartsTests
{
    [Fact]
    public void Mailmap_forms_are_understood()
    {
        var unreadable = new List<(int, string)>();
        var map = Mailmap.Parse("""
            # comment
            Proper Name <commit@example.org>
            <proper@example.org> <Old@Example.org>
            New Name <new@example.org> Old Name <old2@example.org>
            garbage without address
            Satya Priya <quic_skakitap@quicinc.com> <quic_c_skakit@quicinc.com> <skakit@codeaurora.org>
            """, unreadable);
        // The kernel's .mailmap line 606 (6.12): git check-mailmap maps the second address only, and so do we.
        Assert.Equal(new Identity("Satya Priya", "quic_skakitap@quicinc.com"), map.Resolve(new Identity("X", "quic_c_skakit@quicinc.com")));
        Assert.Equal(new Identity("Y", "skakit@codeaurora.org"), map.Resolve(new Identity("Y", "skakit@codeaurora.org")));
        Assert.Equal(new Identity("Proper Name", "commit@example.org"), map.Resolve(new Identity("whoever", "commit@example.org")));
        Assert.Equal(new Identity("Same", "proper@example.org"), map.Resolve(new Identity("Same", "old@example.org")));
        Assert.Equal(new Identity("New Name", "new@example.org"), map.Resolve(new Identity("Old Name", "old2@example.org")));
        Assert.Equal(new Identity("Other Name", "old2@example.org"), map.Resolve(new Identity("Other Name", "old2@example.org")));
        Assert.Equal([(5, "garbage without address")], unreadable);
    }

    [Fact]
    public void Trailers_are_read_with_the_kernels_spelling()
    {
        var trailers = Trailers.Parse("subject\n\nbody\n\nreviewed-by: A <a@x.org>\nLink: https://lore/x\nCo-developed-by: B B <b@y.org>\nSigned-off-by: C <c@z.org>\n");
        Assert.Equal([("Reviewed-by", "a@x.org"), ("Co-developed-by", "b@y.org"), ("Signed-off-by", "c@z.org")], trailers.Select(t => (t.Key, t.Person.Email)));
    }

    [Fact]
    public void Employer_maps_are_dated_and_domains_cover_subdomains()
    {
        var map = new EmployerMap();
        map.Add("intel.com\tIntel\nhopper@example.org  Navy  < 2020-01-01\nhopper@example.org  Yale\n", "test");
        Assert.Equal("Intel", map.EmployerOf("x@linux.intel.com", new DateOnly(2024, 1, 1)));
        Assert.Equal("Navy", map.EmployerOf("hopper@example.org", new DateOnly(2019, 6, 1)));
        Assert.Equal("Yale", map.EmployerOf("hopper@example.org", new DateOnly(2021, 6, 1)));
        Assert.Equal(EmployerMap.Unknown, map.EmployerOf("someone@gmail.com", new DateOnly(2021, 6, 1)));
        Assert.Equal("test:1: expected 'address-or-domain  Employer  [< yyyy-mm-dd]'", Assert.Throws<EmployerMapException>(() => map.Add("lonely\n", "test")).Message);
        Assert.Equal("test:1: 'tomorrow' is not a yyyy-mm-dd date", Assert.Throws<EmployerMapException>(() => map.Add("a.org  A  < tomorrow\n", "test")).Message);
        Assert.Equal("Google", EmployerMap.Default().EmployerOf("aliceryhl@google.com", new DateOnly(2025, 1, 1)));
    }

    [Fact]
    public void The_shipped_employer_map_is_sorted_unique_and_readable()
    {
        using var stream = typeof(EmployerMap).Assembly.GetManifestResourceStream("employers.txt")!;
        using var reader = new StreamReader(stream);
        var keys = reader.ReadToEnd().Split('\n').Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0)
            .Select(l => l.Split([' ', '\t'], 2)[0]).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(keys.Count, EmployerMap.Default().Count); // every line read
        Assert.Equal("Linux Foundation", EmployerMap.Default().EmployerOf("torvalds@linux-foundation.org", new DateOnly(2024, 11, 17)));
    }

    [Fact]
    public void Release_tags_are_vX_Y_only()
    {
        Assert.True(Release.TryParseTag("v6.12", out var t));
        Assert.Equal(("6.12", "6.12+", "v6.12"), (t.Name, t.NextRelease, t.Tag));
        Assert.False(Release.TryParseTag("v6.12.1", out _));
        Assert.False(Release.TryParseTag("v6.13-rc1", out _));
        Assert.True(Release.TryParseTag("v6.9", out var a) && a < t);
        // With --rc and --stable: candidates order before their release, stable updates after it.
        Assert.True(Release.TryParseTag("v6.13-rc1", out var rc, out _, ReleaseKind.Candidate) && t < rc);
        Assert.True(Release.TryParseTag("v6.12.1", out var stable, out _, ReleaseKind.Stable) && t < stable && stable < rc);
        Assert.False(Release.TryParseTag("v6.12.1.2", out _, out _, ReleaseKind.Stable));
        Assert.False(Release.TryParseTag("6.12", out _));
    }

    [Fact]
    public void A_release_number_too_large_is_told_apart_not_thrown()
    {
        Assert.False(Release.TryParseTag("v99999999999.1", out _, out var tooLarge));
        Assert.True(tooLarge);
        Assert.False(Release.TryParseTag("v6.99999999999", out _, out tooLarge));
        Assert.True(tooLarge);
        Assert.True(Release.TryParseTag("v2147483647.0", out var largest, out tooLarge));
        Assert.Equal((2147483647, false), (largest.Numbers[0], tooLarge));
        Assert.False(Release.TryParseTag("v\u0666.\u0661", out _, out tooLarge)); // Arabic-Indic digits are not a release
        Assert.False(tooLarge);
    }

    [Fact]
    public void An_employer_maps_fingerprint_follows_what_it_says_not_how_it_is_written()
    {
        static string Of(string text)
        {
            var map = new EmployerMap();
            map.Add(text, "test");
            return map.Fingerprint();
        }
        var fingerprint = Of("example.com  Example\nold.example  Old < 2020-01-01\nold.example  New\n");
        Assert.Equal(fingerprint, Of("# the same lines\nold.example\tNew\nExample.COM\tExample\nold.example Old < 2020-01-01\n"));
        Assert.NotEqual(fingerprint, Of("example.com  Example\nold.example  Old < 2020-01-02\nold.example  New\n"));
        Assert.NotEqual(fingerprint, Of("example.com  Example Corp\nold.example  Old < 2020-01-01\nold.example  New\n"));
        Assert.Equal(64, fingerprint.Length);
    }
}
