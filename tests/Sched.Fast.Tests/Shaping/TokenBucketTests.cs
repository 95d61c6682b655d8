using Sched.Fast.Shaping;

namespace Sched.Fast.Tests.Shaping;

public sealed class TokenBucketTests
{
    [Fact]
    public void A_new_bucket_is_full()
    {
        var b = new TokenBucket(1000);
        Assert.Equal(1000, b.TokensNs);
    }

    [Fact]
    public void Refill_adds_elapsed_time_up_to_the_depth()
    {
        var b = new TokenBucket(1000) { TokensNs = -500 };
        Assert.Equal(-200, b.Refilled(300));
        Assert.Equal(1000, b.Refilled(5000));
    }

    [Fact]
    public void Fill_restores_the_depth()
    {
        var b = new TokenBucket(1000) { TokensNs = -5 };
        b.Fill();
        Assert.Equal(1000, b.TokensNs);
    }
}
