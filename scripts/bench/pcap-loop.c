/*
 * pcap-loop FILE — the speed limit for reading a capture: libpcap's pcap_next_ex over every
 * packet, counting packets and captured bytes and touching the first and last byte of each
 * frame (so the data is really read). Prints "packets bytes" and exits 0; exits 1 on a read error.
 *
 * Built at bench time: cc -O2 -o pcap-loop pcap-loop.c -lpcap
 */
#include <pcap/pcap.h>
#include <stdio.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: pcap-loop FILE\n");
        return 2;
    }
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *handle = pcap_open_offline(argv[1], errbuf);
    if (handle == NULL) {
        fprintf(stderr, "pcap-loop: %s\n", errbuf);
        return 1;
    }
    struct pcap_pkthdr *header;
    const u_char *data;
    unsigned long long packets = 0, bytes = 0;
    unsigned int touched = 0;
    int rc;
    while ((rc = pcap_next_ex(handle, &header, &data)) == 1) {
        packets++;
        bytes += header->caplen;
        if (header->caplen > 0) touched += data[0] + data[header->caplen - 1];
    }
    if (rc == PCAP_ERROR) {
        fprintf(stderr, "pcap-loop: %s\n", pcap_geterr(handle));
        pcap_close(handle);
        return 1;
    }
    pcap_close(handle);
    printf("%llu %llu\n", packets, bytes);
    return touched == 0xFFFFFFFFu ? 3 : 0; /* keeps `touched` live; never true in practice */
}
