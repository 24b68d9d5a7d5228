"""The plan exchanged with MS Project and ProjectLibre: MS Project XML (MSPDI) written and read by certprep's own
code, .mpp files read through MPXJ when Java is available. `document` is the plain data both directions share
(no database); `services.plan_import` turns a read document into the stored plan."""
