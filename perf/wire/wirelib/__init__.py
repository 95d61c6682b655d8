"""The on-the-wire checks of issue 6 (item 8): our forwarder (`forwarder bridge f0 f1 --tc FILE`) and the kernel's
own qdiscs side by side in the namespace lab, measured with iperf3 and ping. See perf/wire/README.md."""
