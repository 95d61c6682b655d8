using Sched.Fast.Classifiers;
using Sched.Fast.Tc;

namespace Sched.Fast.Tests.Classifiers;

/// <summary>The list of filters cls_basic and cls_bpf keep: idr handles, replace in place, newest first.</summary>
public sealed class FilterArrayTests
{
    private sealed class Node(uint handle) : FilterNode
    {
        public override uint Handle => handle;
    }

    [Fact]
    public void Without_a_handle_a_filter_gets_the_lowest_free_one()
    {
        Node[] filters = [new(3), new(1)];
        Assert.Equal(2u, FilterArray.Handle(filters, 0, null));
        Assert.Equal(1u, FilterArray.Handle<Node>([], 0, null));
    }

    [Fact]
    public void A_new_filter_cannot_take_a_handle_in_use()
    {
        Node[] filters = [new(5)];
        Assert.Equal("RTNETLINK answers: No space left on device",
            Assert.Throws<TcException>(() => FilterArray.Handle(filters, 5, null)).Message);
        Assert.Equal(6u, FilterArray.Handle(filters, 6, null));
    }

    [Fact]
    public void A_replacement_keeps_the_handle_of_the_filter_it_replaces()
    {
        Node old = new(5);
        Node[] filters = [old];
        Assert.Equal(5u, FilterArray.Handle(filters, 5, old));
        Assert.Equal("RTNETLINK answers: Invalid argument",
            Assert.Throws<TcException>(() => FilterArray.Handle(filters, 6, old)).Message);
    }

    [Fact]
    public void New_filters_go_first_and_a_replacement_takes_the_old_ones_place()
    {
        Node a = new(1), b = new(2), b2 = new(2);
        Node[] filters = FilterArray.Publish(FilterArray.Publish([], a, null), b, null);
        Assert.Equal([b, a], filters);
        Node[] replaced = FilterArray.Publish(filters, b2, b);
        Assert.Equal([b2, a], replaced);
        Assert.Equal([b, a], filters); // readers of the old array still see the old list
        Assert.Equal([a], FilterArray.Without(replaced, b2));
    }
}
