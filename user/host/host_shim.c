// SPDX-License-Identifier: GPL-2.0
/* Storage for the host stand-ins of user/host/host_shim.h. */
#include "host_shim.h"

unsigned long host_warn_count;
