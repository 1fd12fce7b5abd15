#ifndef SSMPATH_CPCAP_SHIM_H
#define SSMPATH_CPCAP_SHIM_H
#include <pcap/pcap.h>
#include <stdio.h>
#endif
