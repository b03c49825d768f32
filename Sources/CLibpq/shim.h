#include <libpq-fe.h>

/* Swift does not import libpq's character-literal macros (PG_DIAG_*): the error fields privctl
   reads with PQresultErrorField, as constants it does import. */
static const int CLibpq_DIAG_SQLSTATE = PG_DIAG_SQLSTATE;
static const int CLibpq_DIAG_MESSAGE_PRIMARY = PG_DIAG_MESSAGE_PRIMARY;
static const int CLibpq_DIAG_MESSAGE_DETAIL = PG_DIAG_MESSAGE_DETAIL;
