/** The compatibility kit every ledger store passes, with the independent reading of ledger lines it checks them by. */
package io.vigil.ledger.tck;
